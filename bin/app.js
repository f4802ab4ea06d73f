#!/usr/bin/env node
// `npm run app`: the desktop app where Electron's binary is installed; otherwise what to run
// instead (src-main/app/launch.ts). Extra arguments go to `electron-vite preview`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { launchDesktopApp } = await import('../src-main/app/launch.ts');
process.exitCode = await launchDesktopApp(
  process.argv.slice(2),
  join(dirname(fileURLToPath(import.meta.url)), '..'),
);
