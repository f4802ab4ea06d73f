/**
 * A dead engine must not kill a render: the real CLI and real puppet engines render the sample
 * project while one engine process is SIGKILLed mid-segment. Its segment is rendered again in the
 * restarted engine and the video's frames hash the same as an uninterrupted render's. An engine
 * that dies on every attempt of one segment fails the render with one line naming that segment.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import { EngineClient } from '#main/engine/client/engineClient';
import { PuppetWorker } from '#main/scheduler/workers/puppetWorker';
import type { RenderWorker } from '#shared/render/worker';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import { captureIO, copySample } from './helpers';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'pose-studio.js');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The sample project cut to `frames` frames (segments of 24 frames, the sample's own). */
function sample(frames: number): { root: string; project: string } {
  const copy = copySample('ps-engine-crash-');
  temps.push(copy.root);
  const file = join(copy.project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  p.output.range = { from: 0, to: frames };
  writeFileSync(file, JSON.stringify(p));
  return copy;
}

function frameHashes(file: string): string[] {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'framemd5', '-'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').at(-1)!.trim());
}

/** Engine processes (children running engineMain.ts) of process `parent`, oldest first. */
function enginePids(parent: number): number[] {
  const found: { pid: number; start: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
      if (Number(fields[1]) !== parent) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('engineMain'))
        found.push({ pid: +name, start: Number(fields[19]) }); // field 22: start time
    } catch {
      // the process ended while we looked
    }
  }
  // The CLI starts worker i's engine i-th.
  return found.sort((a, b) => a.start - b.start || a.pid - b.pid).map((p) => p.pid);
}

type Event = Record<string, unknown> & { type: string };

/** Runs the CLI render; `onEvent` may act on each JSON event (e.g. kill an engine). */
function runCli(
  args: string[],
  onEvent: (e: Event, cliPid: number) => void = () => undefined,
): Promise<{ code: number | null; events: Event[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'render', ...args, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Event[] = [];
    let buf = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines.filter((x) => x.startsWith('{'))) {
        const e = JSON.parse(l) as Event;
        events.push(e);
        onEvent(e, child.pid!);
      }
    });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, events, stderr }));
  });
}

function manifestOf(project: string) {
  const [job] = readdirSync(join(project, 'renders'));
  return JSON.parse(readFileSync(join(project, 'renders', job!, 'manifest.json'), 'utf8')) as {
    state: string;
    error: string | null;
    segments: { index: number; hash: string; done: boolean }[];
    attempts: { rendered: number; retries?: string[] }[];
  };
}

describe('an engine process killed mid-render (real CLI, puppet engines, ffmpeg)', () => {
  it('renders the lost segment again and ends with the uninterrupted render’s frames', async () => {
    const FRAMES = 96; // 4 segments of 24 frames
    const ref = sample(FRAMES);
    const refOut = join(ref.root, 'ref.mp4');
    const clean = await runCli([ref.project, '-o', refOut, '--workers', '2']);
    expect(clean.code, clean.stderr).toBe(0);
    const reference = frameHashes(refOut);
    expect(reference).toHaveLength(FRAMES);

    const { root, project } = sample(FRAMES);
    const out = join(root, 'out.mp4');
    let victim = 0;
    const run = await runCli([project, '-o', out, '--workers', '2'], (e, cli) => {
      // The third segment to start is a worker's second: its engine is warm and rendering.
      if (e.type !== 'segment-started' || e.index !== 2 || victim) return;
      const worker = Number(String(e.worker).replace('puppet-', '')) - 1;
      setTimeout(() => {
        victim = enginePids(cli)[worker] ?? -1;
        if (victim > 0) process.kill(victim, 'SIGKILL');
      }, 150);
    });
    expect(victim).toBeGreaterThan(0);
    expect(run.code, run.stderr).toBe(0);
    const retries = run.events.filter((e) => e.type === 'segment-retry');
    // Segment 2 may be the worker's first (segments are submitted as their cache lookups end):
    // then the kill hits its character set-up, which the retry does again too.
    expect(retries).toHaveLength(1);
    expect(retries[0]!.message).toMatch(
      new RegExp(
        `^segment 2 \\(frames 48–71\\): engine process ${victim} killed by SIGKILL during ` +
          `(renderPuppetFrames|setupCharacter); retry 1 of 2$`,
      ),
    );
    expect(run.events.at(-1)).toMatchObject({ type: 'finished', frames: FRAMES });
    const got = frameHashes(out);
    // Frame numbers whose pixels differ from the uninterrupted render (none).
    expect(got.flatMap((h, i) => (h === reference[i] ? [] : [i]))).toEqual([]);
    expect(got).toHaveLength(FRAMES);
    const manifest = manifestOf(project);
    expect(manifest.state).toBe('done');
    expect(manifest.attempts[0]!.retries).toEqual([retries[0]!.message]);
    // Every segment once: the lost attempt was not counted as a rendered segment.
    expect(manifest.attempts[0]!.rendered).toBe(FRAMES / 24);
  }, 300_000);
});

describe('an engine that dies on every attempt of one segment', () => {
  it('fails the render with one line naming the segment, its frames and the crash', async () => {
    const { root, project } = sample(72);
    const out = join(root, 'out.mp4');
    const engines: EngineClient[] = [];
    const victims: number[] = [];
    /** Real puppet workers whose engine is SIGKILLed once segment 1 has handed over frames. */
    const killing: StartWorkers = async (count, setup, output) => {
      const workers: RenderWorker[] = [];
      for (let i = 0; i < count; i++) {
        const engine = await EngineClient.start({ threads: 1 });
        engines.push(engine);
        const puppet = new PuppetWorker(`puppet-${i + 1}`, engine, setup, output);
        workers.push({
          id: puppet.id,
          close: () => puppet.close(),
          renderSegment: async (req, signal) => {
            if (req.segment.index !== 1) return puppet.renderSegment(req, signal);
            const { pid } = await engine.info();
            let killed = false;
            return puppet.renderSegment(
              {
                ...req,
                onFrames: (frames) => {
                  req.onFrames?.(frames);
                  if (killed) return;
                  killed = true; // mid-segment: part of its frames were already handed over
                  victims.push(pid);
                  process.kill(pid, 'SIGKILL');
                },
              },
              signal,
            );
          },
        });
      }
      return workers;
    };
    const { io, err } = captureIO(root);
    const failure = await runRender([project, '-o', out, '--workers', '1'], io, {
      startWorkers: killing,
      env: process.env,
    }).then(
      () => null,
      (e: unknown) => e as Error & { exitCode?: number },
    );
    expect(victims).toHaveLength(3);
    const line =
      `segment 1 (frames 24–47): engine process ${victims[2]} killed by SIGKILL during ` +
      `renderPuppetFrames; failed on all 3 attempts`;
    expect(failure?.message).toBe(`render failed: ${line}`);
    expect(err.filter((l) => l.includes('retry'))).toEqual([
      `pose-studio: segment 1 (frames 24–47): engine process ${victims[0]} killed by SIGKILL during renderPuppetFrames; retry 1 of 2`,
      `pose-studio: segment 1 (frames 24–47): engine process ${victims[1]} killed by SIGKILL during renderPuppetFrames; retry 2 of 2`,
    ]);
    const manifest = manifestOf(project);
    expect(manifest.state).toBe('failed');
    expect(manifest.error).toBe(line);
    expect(manifest.attempts[0]!.retries).toHaveLength(2);
    // Frames of the failed attempts never reached the cache; segment 0 did.
    const cached = (i: number) => {
      const h = manifest.segments[i]!.hash;
      return existsSync(join(project, 'cache', 'segments', h.slice(0, 2), `${h}.seg`));
    };
    // Segments finished before the failure are cached (which ones depends on the order the
    // dispatcher took them in: segment 0's cache lookup can finish after segment 1's).
    const finished = manifest.segments.filter((seg) => seg.done).map((seg) => seg.index);
    for (const i of finished) expect(cached(i), `segment ${i}`).toBe(true);
    expect(finished).not.toContain(1);
    expect(cached(1)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.partial-'))).toEqual([]);
    await Promise.all(engines.map((e) => e.close()));
  }, 180_000);
});
