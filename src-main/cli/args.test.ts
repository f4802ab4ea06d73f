import { describe, expect, it } from 'vitest';
import { MAX_CANVAS_SIDE, MAX_FRAME } from '#shared/project/limits';
import { flagFps, flagFrame, parseArgs, parseSize } from './args';
import { CliError } from './cliError';

const flags = (argv: string[]) => parseArgs(argv, { values: ['fps', 'from'] });

function message(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    if (e instanceof CliError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('CLI flags use the project limits', () => {
  it('--size: 16384x16384 is refused (sharp cannot draw it), 8192x8192 kept', () => {
    expect(message(() => parseSize('16384x16384'))).toBe(
      `--size must be between 1x1 and ${MAX_CANVAS_SIDE}x${MAX_CANVAS_SIDE}, got "16384x16384"`,
    );
    expect(parseSize('8192x8192')).toEqual({ width: 8192, height: 8192 });
  });

  it('--fps: 1e-300, 0.5, 241 and words are refused; 23.976 kept', () => {
    for (const v of ['1e-300', '0.5', '241', 'NaN', 'fast', '-24'])
      expect(message(() => flagFps(flags(['--fps', v]), 'fps'))).toBe(
        `--fps must be a number from 1 to 240, got "${v}"`,
      );
    expect(flagFps(flags(['--fps', '23.976']), 'fps')).toBe(23.976);
  });

  it('--from: past the last frame a project can have is refused', () => {
    expect(message(() => flagFrame(flags(['--from', '99999999999']), 'from'))).toBe(
      `--from must be a frame number from 0 to ${MAX_FRAME}, got 99999999999`,
    );
    expect(message(() => flagFrame(flags(['--from=-1']), 'from'))).toMatch(/from 0 to/);
    expect(flagFrame(flags(['--from', '10000000']), 'from')).toBe(MAX_FRAME);
  });
});
