import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the standalone editor page (src-renderer/editor/standalone) to out/editor-standalone,
 * for the editor's e2e tests and benchmark until the shell mounts the editor:
 * `npx vite build --config src-renderer/editor/vite.config.ts`.
 */
const here = new URL('.', import.meta.url).pathname;
export default defineConfig({
  root: `${here}standalone`,
  base: './',
  logLevel: 'warn',
  plugins: [react()],
  // Always the production React build, also when built from vitest (NODE_ENV=test): the e2e tests
  // and the benchmark measure what users run.
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: `${here}../../out/editor-standalone`,
    emptyOutDir: true,
    target: 'chrome120',
    minify: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
  },
});
