/**
 * Protocol fuzzing of `pose-studio serve` (`npm run bench:fuzz-protocol [-- --cases N --seed S]`):
 * seeded malformed WebSocket frames and API messages (test/helpers/protocolFuzz.ts) against the
 * real serve process. Prints `name: value` lines: cases, crashes (must be 0), answers that were
 * not a clean error (must be 0), bad frames left open (must be 0), and messages that happened to
 * be valid. Exits 1 if any of the three must-be-zero counts is not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from '#test/helpers/protocolFuzz';
import { buildUiOnce, startServe } from '#test/e2e/harness';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return v;
}

const cases = flag('cases', 10_000);
const seed = flag('seed', 13);
const settingsDir = mkdtempSync(join(tmpdir(), 'ps-bench-fuzz-'));
await buildUiOnce();
const serve = await startServe(['--port', '0', '--settings-dir', settingsDir]);
const started = Date.now();
try {
  const t = await runFuzz({
    port: Number(new URL(serve.url).port),
    seed,
    to: cases,
    alive: () => serve.child.exitCode === null && serve.child.signalCode === null,
    onProgress: (n) => {
      if (n % 1000 === 0) process.stderr.write(`… ${n} cases\n`);
    },
  });
  console.log(`seed: ${seed}`);
  console.log(`cases: ${t.cases}`);
  console.log(`crashes: ${t.crashes}`);
  console.log(`answers that were not a clean error: ${t.unclean}`);
  console.log(`bad frames not closed with a code: ${t.notClosed}`);
  console.log(`messages accepted as valid: ${t.accepted}`);
  console.log(`seconds: ${((Date.now() - started) / 1000).toFixed(1)}`);
  console.log(`load average (1 min): ${loadavg()[0]!.toFixed(2)}`);
  for (const f of t.failures) console.log(`failure: ${f}`);
  process.exitCode = t.crashes + t.unclean + t.notClosed === 0 ? 0 : 1;
} finally {
  await serve.stop();
  rmSync(settingsDir, { recursive: true, force: true });
}
