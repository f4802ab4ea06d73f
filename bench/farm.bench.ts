/**
 * Farm benchmark: puppet frames/s of a local render (one engine) against the farm with 1, 2 and 3
 * `pose-studio farm worker` processes (one engine each) on this machine's redis-server, and the
 * per-segment overhead of going through the farm (queue + transfer + encode/decode on both ends).
 *
 *   npm run bench:farm                    # 96 frames in 24-frame segments at 512²
 *   npm run bench:farm -- --frames 288
 *
 * Every run starts from an empty segment cache (a fresh copy of the sample project). All workers
 * share this machine's cores, so N workers here measure the farm's overhead and its scheduling,
 * not the speed-up of N machines (docs/farm.md estimates that).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '#test/helpers/redisServer';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'pose-studio.js');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FRAMES = arg('frames', 96);
const SEGMENT = 24;
const temp = mkdtempSync(join(tmpdir(), 'ps-farm-bench-'));

function project(name: string): string {
  const dir = join(temp, name);
  cpSync(join(ROOT, 'assets', 'sample-project'), dir, { recursive: true });
  const file = join(dir, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  p.output.range = { from: 0, to: FRAMES };
  p.render.segmentLength = SEGMENT;
  writeFileSync(file, JSON.stringify(p));
  return dir;
}

function run(args: string[], onLine: (l: Record<string, unknown>) => void = () => {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l.startsWith('{')) onLine(JSON.parse(l) as Record<string, unknown>);
  });
  const exit = new Promise<number | null>((r) => child.on('close', r));
  return { child, exit };
}

/** Seconds of the render as the render job measures it (plan to checked output). */
async function render(name: string, extra: string[]): Promise<number> {
  const dir = project(name);
  let seconds = NaN;
  const r = run(
    ['render', dir, '-o', join(dir, 'renders', 'out'), '--format', 'png', '--json', ...extra],
    (l) => {
      if (l.type === 'finished') seconds = Number(l.seconds);
    },
  );
  if ((await r.exit) !== 0) throw new Error(`render ${name} failed`);
  return seconds;
}

const redis = await startRedis();
const workers: ChildProcess[] = [];
const segmentLog: Record<string, unknown>[] = [];
try {
  const segments = FRAMES / SEGMENT;
  const local = await render('local', ['--workers', '1']);
  console.log(
    `local, 1 engine:     ${(FRAMES / local).toFixed(1)} frames/s (${local.toFixed(1)} s)`,
  );
  let overhead = '';
  for (const n of [1, 2, 3]) {
    while (workers.length < n) {
      let ready!: () => void;
      const up = new Promise<void>((r) => (ready = r));
      const w = run(
        ['farm', 'worker', '--redis', redis.url, '--cache', join(temp, 'assets')],
        (l) => {
          if (l.type === 'ready') ready();
          if (l.type === 'segment-done') segmentLog.push(l);
        },
      );
      workers.push(w.child);
      await up;
    }
    // Warm-up: each worker boots its engine on its first segment; a first render pays for it.
    await render(`warm-${n}`, ['--farm', redis.url]);
    segmentLog.length = 0;
    const s = await render(`farm-${n}`, ['--farm', redis.url]);
    const mean = (k: string) =>
      segmentLog.reduce((a, l) => a + Number(l[k]), 0) / Math.max(1, segmentLog.length);
    console.log(
      `farm, ${n} worker${n > 1 ? 's' : ' '}:     ${(FRAMES / s).toFixed(1)} frames/s (${s.toFixed(1)} s); ` +
        `per segment on the worker: render ${mean('renderMs').toFixed(0)} ms, encode ` +
        `${mean('encodeMs').toFixed(0)} ms, upload ${mean('uploadMs').toFixed(0)} ms`,
    );
    if (n === 1)
      overhead =
        `farm cost per ${SEGMENT}-frame segment (1 worker): encode + sha-256 ` +
        `${mean('encodeMs').toFixed(0)} ms + upload and check ${mean('uploadMs').toFixed(0)} ms ` +
        `on the worker's clock; end to end ${(((s - local) / segments) * 1000).toFixed(0)} ms ` +
        `vs the local render (whose time includes starting its engine, ~1 s; the farm's is warm)`;
  }
  console.log(overhead);
} finally {
  for (const w of workers) w.kill('SIGINT');
  await Promise.all(workers.map((w) => new Promise((r) => w.once('close', r))));
  await redis.stop();
  rmSync(temp, { recursive: true, force: true });
}
