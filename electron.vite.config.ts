import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'electron-vite';
import { rendererViteConfig } from '#main/host/rendererBuild';

/**
 * Desktop bundle: main (ESM, out/main/index.js = package.json "main"), the sandboxed preload
 * (CommonJS, out/preload/index.cjs, everything inlined — sandboxed preloads cannot import), and
 * the renderer with exactly the Vite settings `pose-studio serve` uses (out/renderer).
 */
export default defineConfig(async (): Promise<UserConfig> => {
  const renderer = await rendererViteConfig();
  return {
    main: {
      build: {
        outDir: 'out/main',
        // Native and binary-carrying packages stay outside the bundle (unpacked from the asar).
        externalizeDeps: true,
        rollupOptions: {
          input: { index: resolve('src-main/app/main.ts') },
          output: { format: 'es', entryFileNames: '[name].js' },
        },
      },
    },
    preload: {
      build: {
        outDir: 'out/preload',
        externalizeDeps: false,
        rollupOptions: {
          input: { index: resolve('src-main/preload/index.ts') },
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
      },
    },
    renderer: {
      root: renderer.root,
      base: renderer.base,
      plugins: renderer.plugins,
      build: { ...renderer.build, rollupOptions: { input: resolve('src-renderer/index.html') } },
    },
  };
});
