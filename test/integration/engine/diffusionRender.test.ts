/**
 * `pose-studio render` of a diffusion project with the generator in the engine process (what
 * workers.ts uses), against the in-process workers swapped in by a module mock. This runs the real
 * CLI, segment runner, cache, ffmpeg and engine. Same
 * MP4 bytes as the in-process workers; the engine killed mid-render costs one segment, rendered
 * again in the restarted engine, and the MP4 has the same bytes.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { copySample } from '#test/integration/render/helpers';

let useEngine = false;
// Renders use the engine-process workers (workers.ts); `useEngine = false` swaps in the
// in-process workers so the two can be compared byte for byte.
vi.mock('#main/scheduler/workers/engineDiffusionWorkers', async (importOriginal) => {
  const original =
    await importOriginal<typeof import('#main/scheduler/workers/engineDiffusionWorkers')>();
  return {
    ...original,
    startEngineDiffusionWorkers: async (
      ...args: Parameters<typeof original.startEngineDiffusionWorkers>
    ) =>
      useEngine
        ? original.startEngineDiffusionWorkers(...args)
        : (await import('#test/helpers/diffusion/inProcessDiffusionWorkers')).startDiffusionWorkers(
            ...args,
          ),
  };
});

const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));
const roots: string[] = [];
let pack: string;

/** A copy of the sample project on the diffusion generator (tiny pack). */
function diffusionProject(size: number, frames: number, steps: number): string {
  const { root, project } = copySample('ps-engine-diffusion-render-');
  roots.push(root);
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p.generator = {
    id: 'diffusion',
    params: { pack, steps, guidance: 1, prompt: 'a dancer', seed: 3 },
  };
  p.output = { ...(p.output as object), width: size, height: size, range: { from: 0, to: frames } };
  p.render = {
    ...(p.render as object),
    strategy: 'interleaved',
    segmentLength: 4,
    segmentOverlap: 1,
  };
  writeFileSync(file, JSON.stringify(p, null, 2));
  return project;
}

type Event = Record<string, unknown>;
const events = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Event);

async function render(project: string, out: string, ...extra: string[]) {
  return runCliCaptured(['render', project, '-o', out, '--json', ...extra], project);
}

/** Engine processes started by this test process (children running engineMain.ts). */
function enginePids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('engineMain')) pids.push(+name);
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function segmentFiles(project: string): number {
  const dir = join(project, 'cache', 'segments');
  try {
    return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.seg')).length;
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  const { root } = copySample('ps-engine-diffusion-pack-');
  roots.push(root);
  pack = await buildTinyPack(join(root, 'tiny-pack'));
}, 60_000);
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('pose-studio render with diffusion workers in the engine process', () => {
  it('gives the same MP4 as the in-process workers, and all cache hits the second time', async () => {
    const local = diffusionProject(64, 12, 2);
    const viaEngine = diffusionProject(64, 12, 2);
    useEngine = false;
    const a = await render(local, join(local, 'out.mp4'));
    expect(a.code).toBe(0);
    const localWorkers = events(a.out).filter((e) => e.type === 'segment-started');
    expect(localWorkers.every((e) => /^diffusion-\d+$/.test(String(e.worker)))).toBe(true);
    useEngine = true;
    const b = await render(viaEngine, join(viaEngine, 'out.mp4'));
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const started = events(b.out).filter((e) => e.type === 'segment-started');
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((e) => String(e.worker).startsWith('diffusion-engine-'))).toBe(true);
    expect(await probeVideo(ffprobe, join(viaEngine, 'out.mp4'))).toMatchObject({
      frames: 12,
      width: 64,
      height: 64,
    });
    expect(
      readFileSync(join(viaEngine, 'out.mp4')).equals(readFileSync(join(local, 'out.mp4'))),
    ).toBe(true);
    const again = await render(viaEngine, join(viaEngine, 'out.mp4'));
    expect(events(again.out).at(-1)).toMatchObject({ type: 'finished', segmentsRendered: 0 });
  }, 120_000);

  it('kill -9 of the engine mid-render: the segment is rendered again in the restarted engine, same MP4 bytes', async () => {
    useEngine = true;
    const whole = diffusionProject(128, 24, 30);
    const first = await render(whole, join(whole, 'out.mp4'));
    expect(first.code).toBe(0);

    const killed = diffusionProject(128, 24, 30);
    const out = join(killed, 'out.mp4');
    let victim = 0;
    let seen = 0;
    const watch = setInterval(() => {
      const [pid] = enginePids();
      if (victim || pid === undefined || segmentFiles(killed) < 2) return;
      // 100 ms after the second segment was cached: the worker is denoising the next one (a
      // segment takes seconds here), not between segments — a kill there costs no segment, and
      // the restart happens before the next request without a retry.
      seen ||= Date.now();
      if (Date.now() - seen < 100) return;
      victim = pid;
      process.kill(pid, 'SIGKILL');
    }, 20);
    const run = await render(killed, out).finally(() => clearInterval(watch));
    expect(victim).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    // The retry is reported in one line naming the segment, its frames and the crash.
    const retry = events(run.out).find((e) => e.type === 'segment-retry');
    expect(retry?.message).toMatch(
      new RegExp(
        `^segment \\d+ \\(frames \\d+–\\d+\\): engine process ${victim} killed by SIGKILL ` +
          `during renderDiffusion\\w+; retry 1 of 2$`,
      ),
    );
    expect(events(run.out).at(-1)).toMatchObject({ type: 'finished', frames: 24 });
    expect(readFileSync(out).equals(readFileSync(join(whole, 'out.mp4')))).toBe(true);
    const [job] = readdirSync(join(killed, 'renders'));
    const manifest = JSON.parse(
      readFileSync(join(killed, 'renders', job!, 'manifest.json'), 'utf8'),
    ) as { state: string; attempts: { retries?: string[] }[] };
    expect(manifest.state).toBe('done');
    expect(manifest.attempts[0]!.retries).toEqual([retry!.message]);
  }, 180_000);
});
