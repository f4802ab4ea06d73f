#!/usr/bin/env node
// Entry point of `npx pose-studio`: runs the TypeScript CLI through tsx, so no build step is
// needed after `npm ci`. The Electron app is bundled separately by electron-vite.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
