import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '#test/helpers/protocolFuzz';
import { buildUiOnce, startServe, type ServeProcess } from './harness';

/**
 * 300 seeded malformed frames and messages against a real `pose-studio serve` (the bench
 * `npm run bench:fuzz-protocol` runs 10,000 and more): serve must live through all of them, close
 * every bad frame's connection with a code, and answer every bad message with a clean error.
 */
const settingsDir = mkdtempSync(join(tmpdir(), 'ps-e2e-fuzz-'));
let serve: ServeProcess;

beforeAll(async () => {
  await buildUiOnce();
  serve = await startServe(['--port', '0', '--settings-dir', settingsDir]);
}, 180_000);
afterAll(async () => {
  await serve?.stop();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('protocol fuzzing of serve', () => {
  it(
    '300 malformed frames and messages: no crash, every answer a clean error',
    { timeout: 240_000 },
    async () => {
      const t = await runFuzz({
        port: Number(new URL(serve.url).port),
        seed: 13,
        to: 300,
        alive: () => serve.child.exitCode === null && serve.child.signalCode === null,
      });
      expect(t.failures, serve.output()).toEqual([]);
      expect(t).toMatchObject({ cases: 300, crashes: 0, unclean: 0, notClosed: 0 });
    },
  );
});
