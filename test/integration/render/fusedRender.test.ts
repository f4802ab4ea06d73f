import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';
import { planRender } from '#shared/render/plan';
import { hashOf } from '#shared/render/hash';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { copySample } from './helpers';

const { root, project } = copySample('ps-fused-render-');
const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));

beforeAll(async () => {
  const pack = await buildTinyPack(join(root, 'tiny-pack'));
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p.generator = {
    id: 'diffusion',
    params: { pack, steps: 2, guidance: 1, prompt: 'a dancer', seed: 3 },
  };
  p.output = { ...(p.output as object), width: 64, height: 64, range: { from: 0, to: 12 } };
  p.render = { ...(p.render as object), strategy: 'fused', segmentLength: 4, segmentOverlap: 1 };
  writeFileSync(file, JSON.stringify(p, null, 2));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Event = Record<string, unknown>;
const events = (out: string) => out.split('\n').map((l) => JSON.parse(l) as Event);

describe('pose-studio render, fused diffusion project (tiny pack, real ORT, real ffmpeg)', () => {
  it('renders the fusion group in one worker call to MP4; again: all cache hits; a lost segment re-renders its group', async () => {
    const job = await prepareProjectRender(project, {}, { pictureSize });
    const plan = planRender(job.plan, { frameHash: (f) => hashOf(f), settingsHash: 's' });
    expect(plan.segments.length).toBeGreaterThanOrEqual(3); // 4 windows of 4, overlap 1
    expect(plan.segments.every((s) => s.coupled.length === plan.segments.length - 1)).toBe(true);

    const out = join(root, 'fused.mp4');
    const first = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const ev = events(first.out);
    const n = plan.segments.length;
    expect(ev.at(-1)).toMatchObject({
      type: 'finished',
      frames: 12,
      segmentsRendered: n,
      segmentsCached: 0,
    });
    // Every segment started on the same worker, in one group call.
    const started = ev.filter((e) => e.type === 'segment-started');
    expect(started.map((e) => e.index)).toEqual([...Array(n).keys()]);
    expect(new Set(started.map((e) => e.worker)).size).toBe(1);
    expect(await probeVideo(ffprobe, out)).toMatchObject({ frames: 12, width: 64, height: 64 });
    const bytes = readFileSync(out);

    const again = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(again.code).toBe(0);
    expect(events(again.out).at(-1)).toMatchObject({
      type: 'finished',
      frames: 12,
      segmentsRendered: 0,
      segmentsCached: n,
    });

    // A segment lost from the cache (e.g. killed before it was written): the group is denoised
    // again, to the same pixels.
    const segs = events(again.out).filter((e) => e.type === 'segment');
    const cache = SegmentCache.forProject(project);
    rmSync(cache.pathOf(segs[1]!.hash as string));
    const out2 = join(root, 'fused-again.mp4');
    const third = await runCliCaptured(['render', project, '-o', out2, '--json'], root);
    expect(third.code).toBe(0);
    expect(events(third.out).at(-1)).toMatchObject({ segmentsRendered: n, segmentsCached: 0 });
    expect(readFileSync(out2).equals(bytes)).toBe(true);
  }, 120_000);
});
