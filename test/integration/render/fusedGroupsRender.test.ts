import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import type { SegmentRequest } from '#shared/render/worker';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { startDiffusionWorkers } from '#test/helpers/diffusion/inProcessDiffusionWorkers';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { FUSION_GROUP_WINDOWS, prepareProjectRender } from '#main/scheduler/job/projectRender';
import type { RgbImage } from '#shared/image/rgbImage';
import { hashOf } from '#shared/render/hash';
import { planRender, type Segment } from '#shared/render/plan';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { copySample } from './helpers';

// A fused diffusion project long enough for three fusion groups: 52 frames, T = 4, O = 1 →
// 17 windows, groups of FUSION_GROUP_WINDOWS (8): [0…7] [8…15] [16]. Rendered by
// `pose-studio render` (diffusion in the engine process), checked against the segment cache and
// an in-process worker.
const { root, project } = copySample('ps-fused-groups-');
const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));
const FRAMES = 52;

beforeAll(async () => {
  const pack = await buildTinyPack(join(root, 'tiny-pack'));
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p.generator = {
    id: 'diffusion',
    params: { pack, steps: 2, guidance: 1, prompt: 'a dancer', seed: 4, crossFrame: 'previous' },
  };
  p.output = { ...(p.output as object), width: 64, height: 64, range: { from: 0, to: FRAMES } };
  p.render = { ...(p.render as object), strategy: 'fused', segmentLength: 4, segmentOverlap: 1 };
  writeFileSync(file, JSON.stringify(p, null, 2));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Event = Record<string, unknown>;
const events = (out: string) => out.split('\n').map((l) => JSON.parse(l) as Event);

describe('pose-studio render, fused diffusion project of three fusion groups (tiny pack)', () => {
  it('joins the groups: each later group continues from the frames the previous one delivered', async () => {
    const job = await prepareProjectRender(project, {}, { pictureSize });
    expect(job.plan).toMatchObject({ fusionGroupWindows: FUSION_GROUP_WINDOWS });
    expect(job.plan.holdGroupBoundaries).toBe(true);
    const shape = planRender(job.plan, { frameHash: (f) => hashOf(f), settingsHash: 's' });
    const n = shape.segments.length;
    expect(n).toBe(17);
    const firsts = shape.segments.filter((s) => s.index % FUSION_GROUP_WINDOWS === 0);
    expect(firsts.map((s) => s.index)).toEqual([0, 8, 16]); // three groups
    expect(firsts.map((s) => s.after)).toEqual([[], [7], [15]]);

    const out = join(root, 'fused.mp4');
    const run = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const ev = events(run.out);
    expect(ev.at(-1)).toMatchObject({
      type: 'finished',
      frames: FRAMES,
      segmentsRendered: n,
      segmentsCached: 0,
    });
    expect(await probeVideo(ffprobe, out)).toMatchObject({ frames: FRAMES, width: 64, height: 64 });
    // Groups start in order: a group waits for the one it continues.
    const started = ev.filter((e) => e.type === 'segment-started').map((e) => e.index);
    expect(started).toEqual([...Array(n).keys()]);

    // The render's segments (real hashes) and their cached frames.
    const delivered = ev.filter((e) => e.type === 'segment');
    const segments: Segment[] = shape.segments.map((s) => ({
      ...s,
      hash: delivered.find((e) => e.index === s.index)!.hash as string,
    }));
    const cache = SegmentCache.forProject(project);
    const cached = new Map<number, RgbImage[]>();
    for (const s of segments) cached.set(s.index, (await cache.read(s))!);
    expect([...cached.values()].every((f) => f !== null)).toBe(true);

    const workers = await startDiffusionWorkers(
      1,
      job.diffusion!,
      {
        picturePath: job.picturePath,
        referencePose: Float64Array.from(job.character.referencePose),
      },
      { width: 64, height: 64 },
    );
    try {
      for (const [g, first] of [
        [1, 8],
        [2, 16],
      ] as const) {
        const seg = segments[first]!;
        const prev = segments[first - 1]!;
        // The overlap [windowStart, start) of group g's first window is delivered by group g−1
        // (in the video those frames are group g−1's) and is what group g holds.
        const overlap = seg.start - seg.windowStart;
        expect(overlap, `group ${g}`).toBe(1);
        expect(prev.end).toBe(seg.start);
        expect(prev.windowEnd).toBe(seg.start);
        // Group g denoised again in this process from group g−1's cached frames: the engine's
        // frames, bit for bit. (Project renders have cross-frame attention off, so the free frames
        // do not depend on the held ones: this shows the frames reach the engine — a continuing
        // group without them is refused — and the group reproduces from them; their influence
        // with cross-frame attention is tested in test/integration/diffusion/fusedGroups.test.ts.)
        const members = [seg.index, ...seg.coupled].map((i) => segments[i]!);
        const requests: SegmentRequest[] = members.map((s, k) => ({
          jobId: 'check',
          segment: s,
          poses: Array.from({ length: s.windowEnd - s.windowStart }, (_, i) =>
            job.poseAt(s.windowStart + i),
          ),
          dependencies: k === 0 ? [cached.get(prev.index)!] : [],
          plan: { strategy: 'fused', segmentLength: 4, segmentOverlap: 1 },
        }));
        const again = await workers[0]!.renderGroup!(requests, new AbortController().signal);
        members.forEach((s, k) =>
          expect(
            again[k]!.map((f) => f.data),
            `group ${g}, segment ${s.index}`,
          ).toEqual(cached.get(s.index)!.map((f) => f.data)),
        );
      }
    } finally {
      for (const w of workers) await w.close();
    }

    // Lose a segment of the middle group: it is denoised again from group 0's cached frames,
    // then the group after it; the video is byte-identical.
    const bytes = readFileSync(out);
    rmSync(cache.pathOf(segments[10]!.hash));
    rmSync(cache.pathOf(segments[16]!.hash));
    const out2 = join(root, 'fused-again.mp4');
    const again = await runCliCaptured(['render', project, '-o', out2, '--json'], root);
    expect(again.code).toBe(0);
    const ev2 = events(again.out);
    expect(ev2.at(-1)).toMatchObject({ segmentsRendered: 9, segmentsCached: 8 });
    expect(ev2.filter((e) => e.type === 'segment-started').map((e) => e.index)).toEqual([
      8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]);
    expect(readFileSync(out2).equals(bytes)).toBe(true);
  }, 180_000);
});
