import type { z } from 'zod';

/**
 * Every failure that crosses the API boundary has a code the UI can act on, a message saying what
 * went wrong, and a hint saying what the user can do about it.
 */
export const apiErrorCodes = [
  'bad-request', // the payload did not match the contract (a bug in the caller, or a hostile one)
  'unknown-method',
  'not-found', // a project, job or file that does not exist
  'no-project', // the call needs an open project
  'invalid-project', // project file present but not valid
  'conflict', // e.g. resume of a job that is running
  'unavailable', // a service that has not been wired in this build / mode
  'unauthorized', // WebSocket without the right token
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  hint?: string | undefined;
}

/**
 * Shape check of an error that crossed a boundary. Hand-written (no zod) so the UI's first screen
 * does not load the schema library; the zod schema in wire.ts says the same.
 */
export function isApiErrorData(value: unknown): value is ApiErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (apiErrorCodes as readonly string[]).includes(v.code) &&
    typeof v.message === 'string' &&
    (v.hint === undefined || typeof v.hint === 'string')
  );
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** What crosses the wire (IPC and WebSocket): the texts without stack lines or app paths. */
  toData(): ApiErrorData {
    const message = wireText(this.message) || 'the studio could not do that';
    return this.hint === undefined
      ? { code: this.code, message }
      : { code: this.code, message, hint: wireText(this.hint) };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.hint);
  }

  /** Wraps anything thrown by a service; unknown errors keep their message, never their stack. */
  static from(e: unknown): ApiError {
    if (e instanceof ApiError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new ApiError('internal', message, 'This is a bug in Pose Studio; please report it.');
  }
}

/** Folders of Pose Studio's own code: a path through one of them says nothing to the user. */
const APP_FOLDER =
  /[\\/](?:node_modules|src-main|src-shared|src-renderer|native-models|app\.asar(?:\.unpacked)?|out[\\/](?:main|preload|renderer))[\\/]/;
/** An absolute path or file URL as it appears in an error message (POSIX or Windows). */
const ABSOLUTE_PATH = /(?:file:\/\/)?(?:[A-Za-z]:)?[\\/][^\s'"`()<>,;]*/g;
/** A stack frame line (`    at fn (/x/y.ts:1:2)`). */
const STACK_LINE = /^\s+at\s.*(?:\)|:\d+:\d+|<anonymous>|native)\s*$/gm;

/**
 * An error text as the user may see it: stack lines removed and paths of the app's own files
 * replaced, so a message from deep inside a library ("Cannot read … in /…/node_modules/x/y.js")
 * says what failed without showing internals. Paths of the user's files are kept: they say which
 * file is wrong.
 */
export function wireText(text: string): string {
  return text
    .replace(STACK_LINE, '')
    .replace(ABSOLUTE_PATH, (path) => (APP_FOLDER.test(path) ? '(a Pose Studio file)' : path))
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Turns zod issues into one line that names the offending field, e.g. `params.width: …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: string): string {
  return issues
    .slice(0, 4)
    .map((i) => {
      const path = [root, ...i.path.map(String)].join('.');
      return `${path}: ${i.message}`;
    })
    .join('; ');
}
