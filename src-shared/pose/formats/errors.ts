/**
 * What importers report: a typed error for input they cannot read, and warnings for what they
 * read but dropped or guessed. Both name the place in the JSON, so a user can find the culprit.
 */

/** One step of a JSON path: an object key or an array index. */
export type PathStep = string | number;

/** `['people', 0, 'pose_keypoints_2d', 37]` → `people[0].pose_keypoints_2d[37]`. */
export function formatJsonPath(path: readonly PathStep[]): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]{0,59}$/.test(step)) text += text ? `.${step}` : step;
    else text += `[${JSON.stringify(step.length > 60 ? `${step.slice(0, 60)}…` : step)}]`;
  }
  return text || '(top level)';
}

/** The pose file dialects Pose Studio reads. */
export type PoseFormat =
  | 'controlnet'
  | 'openpose-folder'
  | 'comfyui'
  | 'coco-wholebody'
  | 'dwpose'
  | 'mediapipe'
  | 'coco-keypoints'
  | 'bvh';

export type WarningCode =
  | 'dropped-point'
  | 'dropped-part'
  | 'dropped-person'
  | 'dropped-data'
  | 'canvas-guessed'
  | 'canvas-ignored'
  | 'coordinates-guessed'
  | 'outside-canvas'
  | 'missing-frames';

/** Something the importer read but did not keep as it was, and why. */
export interface ImportWarning {
  code: WarningCode;
  /** File the warning is about (folders: the frame file), when known. */
  file?: string;
  /** JSON path inside that file, e.g. `people[0].face_keypoints_2d`; `(top level)` for the root. */
  path: string;
  message: string;
}

/** Input that is not a pose file of any known dialect, or is one but broken. */
export class PoseFormatError extends Error {
  readonly file: string | undefined;
  readonly path: string;
  readonly reason: string;

  constructor(reason: string, path: readonly PathStep[] | string, file?: string) {
    const where = typeof path === 'string' ? path : formatJsonPath(path);
    super(`${file ? `${file}: ` : ''}${where}: ${reason}`);
    this.name = 'PoseFormatError';
    this.file = file;
    this.path = where;
    this.reason = reason;
  }
}

/** Collects warnings while an importer walks a file, so each warning knows its file. */
export class WarningSink {
  readonly list: ImportWarning[] = [];
  private readonly onceKeys = new Set<string>();

  constructor(public file?: string) {}

  add(code: WarningCode, path: readonly PathStep[] | string, message: string): void {
    const p = typeof path === 'string' ? path : formatJsonPath(path);
    this.list.push({ code, ...(this.file ? { file: this.file } : {}), path: p, message });
  }

  /** Adds a warning only the first time `key` is seen (file-wide facts, not per person). */
  once(key: string, code: WarningCode, path: readonly PathStep[] | string, message: string): void {
    if (this.onceKeys.has(key)) return;
    this.onceKeys.add(key);
    this.add(code, path, message);
  }
}
