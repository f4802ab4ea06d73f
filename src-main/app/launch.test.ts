import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appLaunchProblem, electronBinary } from './launch';

const dir = mkdtempSync(join(tmpdir(), 'ps-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run app', () => {
  it('finds the binary only when the electron package points at a file that exists', () => {
    const fake = join(dir, 'electron');
    writeFileSync(fake, '');
    const requireGiving = (value: unknown) =>
      ((id: string) => {
        if (id !== 'electron') throw new Error(id);
        if (value instanceof Error) throw value;
        return value;
      }) as unknown as NodeJS.Require;
    expect(electronBinary(requireGiving(fake))).toBe(fake);
    expect(electronBinary(requireGiving(join(dir, 'gone')))).toBeNull();
    expect(
      electronBinary(requireGiving(new Error('Electron failed to install correctly'))),
    ).toBeNull();
    expect(electronBinary(requireGiving({ path: fake }))).toBeNull();
  });

  it('says how to get Electron, or to use the browser, when its binary is missing', () => {
    const text = appLaunchProblem(null, 'linux', { DISPLAY: ':0' })!;
    expect(text).toMatch(/npm run app:install-electron/);
    expect(text).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    expect(text).toMatch(/npx pose-studio serve/);
    expect(appLaunchProblem(null, 'win32', {})).toBe(text);
  });

  it('needs a display on Linux only', () => {
    expect(appLaunchProblem('/e', 'linux', {})).toMatch(/xvfb-run npm run app/);
    expect(appLaunchProblem('/e', 'linux', { DISPLAY: '' })).toMatch(/No display/);
    expect(appLaunchProblem('/e', 'linux', { DISPLAY: ':1' })).toBeNull();
    expect(appLaunchProblem('/e', 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(appLaunchProblem('/e', 'darwin', {})).toBeNull();
    expect(appLaunchProblem('/e', 'win32', {})).toBeNull();
  });
});
