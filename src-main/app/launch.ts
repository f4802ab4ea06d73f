/**
 * `npm run app`: builds and starts the desktop app with electron-vite where Electron's binary is
 * installed, and otherwise says what to do instead of Electron's own "failed to install
 * correctly" stack (`npm ci` never downloads the binary: install scripts are off, see .npmrc).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The Electron binary the `electron` package points at, if it is really there. */
export function electronBinary(require = createRequire(import.meta.url)): string | null {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package throws when its binary was never downloaded
  }
}

/** Why the desktop app cannot start here, with what to run instead; null when it can. */
export function appLaunchProblem(
  binary: string | null,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): string | null {
  if (!binary)
    return [
      "Electron's binary is not installed (npm ci does not download it: install scripts are off).",
      'Get it once, with internet access:   npm run app:install-electron',
      'or use an Electron 39 you already have:   ELECTRON_OVERRIDE_DIST_PATH=<its folder> npm run app',
      'The same studio runs in your browser without Electron:   npx pose-studio serve',
    ].join('\n');
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return [
      'No display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set).',
      'Start it from a desktop session, or with a virtual display:   xvfb-run npm run app',
      'or open the studio in a browser:   npx pose-studio serve',
    ].join('\n');
  return null;
}

/** Builds (main, preload, renderer) and runs the app; resolves with Electron's exit code. */
export async function launchDesktopApp(args: readonly string[], root: string): Promise<number> {
  const binary = electronBinary();
  const problem = appLaunchProblem(binary, process.platform, process.env);
  if (problem !== null || binary === null) {
    console.error(problem);
    return 1;
  }
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  // Under tsx: electron.vite.config.ts imports the renderer's Vite settings from a .ts module.
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'preview', ...args], {
    cwd: root,
    stdio: 'inherit',
    // electron-vite finds Electron on its own only through path.txt; this passes on the binary
    // found above, so ELECTRON_OVERRIDE_DIST_PATH works for it too.
    env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
    child.once('error', (e) => {
      console.error(`could not start electron-vite: ${e.message}`);
      resolve(1);
    });
  });
}
