/**
 * Turns low-level write errors (ENOSPC from Node, "No space left on device" from ffmpeg, EACCES…)
 * into a message that says what was being written and what went wrong. Other errors pass through.
 */
export function explainIoError(e: unknown, what: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || (e instanceof Error && /No space left on device/i.test(e.message)))
    return new Error(
      `no space left on the disk while ${what}: free some space (\`pose-studio cache <project> ` +
        `--prune --max-size 5G\` trims a project's render cache), then resume the render`,
      { cause: e },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new Error(`not allowed to write while ${what} (${code})`, { cause: e });
  return e;
}
