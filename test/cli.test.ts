import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './helpers/cliHarness';

describe('pose-studio CLI', () => {
  it('exits 2 with a one-line reason on an unknown command', async () => {
    const r = await runCliCaptured(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown command "no-such-command"/);
  });

  it('prints help', async () => {
    const r = await runCliCaptured(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: pose-studio <command>/);
  });
});
