/**
 * Size limits of what crosses the API. The one limit on an imported picture. The contract's `character.importPicture` params, the
 * WebSocket host's frame limit and the UI's check before sending all derive from this constant,
 * so the UI never sends what the host would refuse and the host never cuts off what the UI allows.
 */
export const MAX_PICTURE_BYTES = 48 * 1024 * 1024;

/**
 * Largest WebSocket frame the host reads: the largest picture import (base64) plus room for the
 * rest of the message. A bigger frame closes that connection with CLOSE_TOO_BIG (the UI says the
 * message was too large); a picture under it but over the picture limit gets an error naming the
 * limit. Zod-free, like this whole file, so the UI's first screen can use it.
 */
export const MAX_FRAME_BYTES = base64Length(MAX_PICTURE_BYTES) + 1024 * 1024;

/** WebSocket close code for a message over MAX_FRAME_BYTES (RFC 6455 "message too big"). */
export const CLOSE_TOO_BIG = 1009;

/** Length of `bytes` bytes in base64 (how the picture crosses IPC and the WebSocket). */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** Longest `dataBase64` the contract accepts. */
export const MAX_PICTURE_BASE64 = base64Length(MAX_PICTURE_BYTES);

/**
 * Pictures larger than this go in parts of this size (`character.uploadPicturePart`), so none
 * crosses the WebSocket as one huge frame; smaller ones go whole in `character.importPicture`.
 */
export const PICTURE_PART_BYTES = 1024 * 1024;

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

export interface PictureProblem {
  message: string;
  hint: string;
}

/** What is wrong with a picture of this size before it is sent, in the user's words; or null. */
export function pictureSizeProblem(fileName: string, bytes: number): PictureProblem | null {
  if (!Number.isFinite(bytes) || bytes <= 0)
    return { message: `"${fileName}" is empty`, hint: 'Choose another picture file.' };
  if (bytes <= MAX_PICTURE_BYTES) return null;
  return {
    message: `"${fileName}" is ${megabytes(bytes)}; pictures can be at most ${megabytes(MAX_PICTURE_BYTES)}`,
    hint: 'Save it smaller (as JPEG, or at a lower resolution: 2048 pixels on the long side is plenty) and import it again.',
  };
}

/** The contract's message when `dataBase64` is over the limit (a caller that skipped the check). */
export const PICTURE_TOO_LARGE_TEXT = `the picture is larger than ${megabytes(MAX_PICTURE_BYTES)}; save it smaller and import it again`;

/**
 * Largest pose file the studio reads (JSON or BVH): the whole file becomes one string in the
 * renderer, and V8 strings stop near 512 M characters. 200 MB holds a BVH clip far past the
 * importer's own 100,000-pose limit.
 */
export const MAX_POSE_FILE_BYTES = 200 * 1024 * 1024;

/** What is wrong with a pose file of this size before it is read, in the user's words; or null. */
export function poseFileSizeProblem(fileName: string, bytes: number): string | null {
  if (!Number.isFinite(bytes) || bytes <= 0)
    return `${fileName} is empty: choose another pose file`;
  if (bytes <= MAX_POSE_FILE_BYTES) return null;
  return `${fileName} is ${megabytes(bytes)}; pose files can be at most ${megabytes(MAX_POSE_FILE_BYTES)}: cut the clip (or export fewer frames) and import it again`;
}
