import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '#test/helpers/cliHarness';

const settingsDir = mkdtempSync(join(tmpdir(), 'ps-serve-cli-'));
afterAll(() => rmSync(settingsDir, { recursive: true, force: true }));
// (--no-build may print a warning line first when sources are newer than out/renderer.)
const lastLine = (text: string) => text.split('\n').at(-1);
const base = ['serve', '--no-build', '--port', '0', '--settings-dir', settingsDir];

describe('pose-studio serve: bad input', () => {
  it('refuses bad options in one line with exit code 2', async () => {
    expect(await runCliCaptured(['serve', '--port', '70000'])).toMatchObject({
      code: 2,
      err: 'pose-studio: --port must be 0–65535, got 70000',
    });
    expect(await runCliCaptured(['serve', '--token', 'short'])).toMatchObject({
      code: 2,
      err: 'pose-studio: --token must be at least 8 characters',
    });
    expect((await runCliCaptured(['serve', '--rebuild', '--no-build'])).code).toBe(2);
    expect((await runCliCaptured(['serve', '--bogus'])).err).toBe(
      'pose-studio: unknown option --bogus',
    );
  });

  it('says when the address is not one of this machine', async () => {
    const r = await runCliCaptured([...base, '--host', '203.0.113.77']);
    expect(r.code).toBe(2);
    expect(lastLine(r.err)).toBe('pose-studio: 203.0.113.77 is not an address of this machine');
  });

  it('fails before printing a URL when --project is not a project', async () => {
    const r = await runCliCaptured([...base, '--project', join(settingsDir, 'missing')]);
    expect(r.code).toBe(2);
    expect(lastLine(r.err)).toMatch(
      /^pose-studio: cannot open project .*missing: .*no project\.json here/,
    );
    expect(r.out).not.toMatch(/running at/);
  });
});
