import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copySample } from './helpers';

/**
 * Kill test: the real CLI (real puppet engine, real ffmpeg) is killed with SIGKILL — the CLI and
 * its engine process together, as a crash would — at random moments, then resumed with --resume.
 * The final video must equal an uninterrupted render's frame for frame, and each kill may cost
 * at most the one segment the worker was rendering.
 */
const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'pose-studio.js');
const FRAMES = 96;
const SEGMENT = 8;
const KILLS = 10;
const { root, project } = copySample('ps-kill-');
const temps = [root];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function shortProject(dir: string) {
  const file = join(dir, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  p.output.range = { from: 0, to: FRAMES };
  p.render.segmentLength = SEGMENT;
  writeFileSync(file, JSON.stringify(p));
}

interface RunEvent {
  type: string;
  index?: number;
  source?: string;
  hash?: string;
  frames?: number;
  segmentsCached?: number;
  /** When the test saw the line (ms since epoch). */
  at: number;
}

/**
 * When to kill: `delayMs` after the `afterStarts`-th segment-started event (0 = first output line),
 * and at the latest when the run starts its `lastStart`-th segment: the delay comes from the
 * reference run's timing, and a run on a less loaded moment could otherwise finish before it.
 */
interface KillPoint {
  afterStarts: number;
  delayMs: number;
  lastStart: number;
}

interface Run {
  events: RunEvent[];
  code: number | null;
  killed: boolean;
}

/** Runs the CLI; kills its whole process group (CLI + engine) at `kill`, if given. */
function runCli(args: string[], kill?: KillPoint): Promise<Run> {
  return new Promise((resolve, reject) => {
    // One worker: a kill then loses at most one segment (with n workers, one per worker).
    const child = spawn(process.execPath, [CLI, 'render', ...args, '--workers', '1'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Run['events'] = [];
    let buf = '';
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        const e = { ...JSON.parse(l), at: Date.now() } as RunEvent;
        events.push(e);
        const starts = events.filter((x) => x.type === 'segment-started').length;
        const trigger =
          kill &&
          !timer &&
          (kill.afterStarts === 0 || (e.type === 'segment-started' && starts === kill.afterStarts));
        const killNow = () => {
          if (killed) return;
          killed = true;
          process.kill(-child.pid!, 'SIGKILL');
        };
        if (trigger) timer = setTimeout(killNow, kill.delayMs);
        if (kill && e.type === 'segment-started' && starts >= kill.lastStart) {
          clearTimeout(timer);
          killNow();
        }
      }
    });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!killed && code !== 0) reject(new Error(`render exited ${code}: ${stderr}`));
      else resolve({ events, code, killed });
    });
  });
}

function frameHashes(file: string): string[] {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'framemd5', '-'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').at(-1)!.trim());
}

function cachedHashes(dir: string): Set<string> {
  const base = join(dir, 'cache', 'segments');
  if (!existsSync(base)) return new Set();
  return new Set(
    readdirSync(base)
      .flatMap((d) => readdirSync(join(base, d)))
      // Only finished entries: a kill inside a segment's atomic write leaves its temp file
      // (`.<hash>.seg.<pid>.<hex>.tmp`) until the cache is pruned; it is not a cached segment.
      .filter((f) => /^[0-9a-f]+\.seg$/.test(f))
      .map((f) => f.replace(/\.seg$/, '')),
  );
}

describe('kill -9 and resume (real engine, real ffmpeg)', () => {
  it(`survives ${KILLS} kills at random points and ends with the uninterrupted render's frames`, async () => {
    // Reference: an uninterrupted render in its own copy of the project (its own cache).
    const ref = copySample('ps-kill-ref-');
    temps.push(ref.root);
    shortProject(ref.project);
    const refOut = join(ref.root, 'ref.mp4');
    const refRun = await runCli([ref.project, '-o', refOut, '--json']);
    const refSegments = refRun.events.filter((e) => e.type === 'segment');
    expect(refSegments).toHaveLength(FRAMES / SEGMENT);
    const reference = frameHashes(refOut);
    expect(reference).toHaveLength(FRAMES);
    const refCache = join(ref.project, 'cache', 'segments');
    const gaps = refSegments
      .slice(1)
      .map((e, i) => e.at - refSegments[i]!.at)
      .sort((a, b) => a - b);
    const segmentMs = gaps[gaps.length >> 1]!;

    shortProject(project);
    const out = join(root, 'killed.mp4');
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      const before = cachedHashes(project);
      // A random point: during start-up / character set-up, or inside the 1st or 2nd segment
      // this run renders — never so late that the run could finish before the kill.
      const remaining = FRAMES / SEGMENT - before.size;
      const afterStarts = Math.min(Math.floor(Math.random() * 3), remaining - 1);
      const delayMs = Math.floor(Math.random() * 0.9 * segmentMs);
      const run = await runCli([project, '-o', out, '--json', ...(k > 0 ? ['--resume'] : [])], {
        afterStarts,
        delayMs,
        lastStart: remaining,
      });
      expect(run.killed).toBe(true);
      kills++;
      const after = cachedHashes(project);
      const started = run.events.filter((e) => e.type === 'segment-started');
      const newlyCached = [...after].filter((h) => !before.has(h)).length;
      // Work lost with this kill: segments a worker started that never reached the cache.
      expect(started.length - newlyCached).toBeGreaterThanOrEqual(0);
      expect(started.length - newlyCached).toBeLessThanOrEqual(1);
      // A segment already in the cache is never rendered again.
      for (const e of run.events)
        if (e.type === 'segment' && e.source === 'rendered')
          expect(before.has(e.hash!)).toBe(false);
      expect(existsSync(out)).toBe(false);
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    // The killed runs got somewhere: the final run resumes rather than starting over.
    expect(cachedHashes(project).size).toBeGreaterThan(0);

    const final = await runCli([project, '-o', out, '--json', '--resume']);
    const finished = final.events.at(-1) as {
      type: string;
      frames: number;
      segmentsCached: number;
    };
    expect(finished).toMatchObject({ type: 'finished', frames: FRAMES });
    expect(finished.segmentsCached!).toBeGreaterThan(0);
    // The cached segments (lossless) are byte-identical to the uninterrupted render's.
    const differing = [...cachedHashes(project)].filter((h) => {
      const a = readFileSync(join(project, 'cache', 'segments', h.slice(0, 2), `${h}.seg`));
      const b = readFileSync(join(refCache, h.slice(0, 2), `${h}.seg`));
      return !a.equals(b);
    });
    expect(differing).toEqual([]);
    const got = frameHashes(out);
    expect(got).toHaveLength(FRAMES);
    // Frame numbers whose pixels differ from the uninterrupted render (none).
    expect(got.flatMap((h, i) => (h === reference[i] ? [] : [i]))).toEqual([]);
    expect(readdirSync(root).filter((f) => f.includes('partial-'))).toEqual([]);
    const manifestDir = readdirSync(join(project, 'renders'))[0]!;
    const manifest = JSON.parse(
      readFileSync(join(project, 'renders', manifestDir, 'manifest.json'), 'utf8'),
    );
    expect(manifest.state).toBe('done');
    // Rendered segments over all attempts: each segment once (lost work never reached the count).
    const rendered = manifest.attempts.reduce(
      (n: number, a: { rendered: number }) => n + a.rendered,
      0,
    );
    expect(rendered).toBeLessThanOrEqual(FRAMES / SEGMENT);
  }, 600_000);
});
