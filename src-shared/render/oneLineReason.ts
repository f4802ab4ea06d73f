/** A stack frame line (`at fn (/x/y.ts:1:2)`, trimmed): it names this program's files, not the fault. */
const STACK_FRAME = /^at\s.*(?:\)|:\d+:\d+|<anonymous>|native)$/;

/**
 * A failure reason as the user reads it, in one line: the lines of a message without stack
 * frames, joined. Engine, ffmpeg and ORT errors can span lines and carry stack frames with paths
 * of this program; the manifest, the studio and the CLI show one line.
 */
export function oneLineReason(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !STACK_FRAME.test(l));
  return lines.join(' ') || 'unknown error';
}
