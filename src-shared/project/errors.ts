/**
 * Why a project cannot be used, naming the field the way a user finds it in `project.json`
 * (`tracks[0].people[1].keyframes[3].frame`). `file` is filled in by whoever read the file.
 */
export class ProjectError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${field}: ${reason}`);
    this.name = 'ProjectError';
  }

  /** The same error, attributed to a file. */
  inFile(file: string): ProjectError {
    return new ProjectError(this.field, this.reason, file);
  }
}

/** One problem found while validating: where (field path) and what. */
export interface ProjectIssue {
  field: string;
  reason: string;
}

/** `['tracks', 0, 'people', 1]` → `tracks[0].people[1]`; the empty path is `project`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      // A key is written by whoever made the file: keep a huge one from flooding the message.
      const text = String(key).length > 60 ? `${String(key).slice(0, 60)}…` : String(key);
      out += out === '' ? text : `.${text}`;
    }
  }
  return out === '' ? 'project' : out;
}
