import { defineConfig } from 'vitest/config';

// One runner for unit tests (next to their code), integration tests (test/integration, real ORT,
// ffmpeg and files) and end-to-end tests (test/e2e, Debian Chromium driven by playwright-core).
export default defineConfig({
  test: {
    include: [
      'src-shared/**/*.test.ts',
      'src-main/**/*.test.ts',
      'src-renderer/**/*.test.{ts,tsx}',
      'native-models/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
