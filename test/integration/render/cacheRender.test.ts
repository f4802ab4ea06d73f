import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cacheUsage } from '#main/scheduler/cache/cachePruner';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import {
  prepareProjectRender,
  renderJobSpec,
  type ProjectRender,
} from '#main/scheduler/job/projectRender';
import { planFor, runRenderJob } from '#main/scheduler/job/renderJob';
import type { CachePruneOutcome } from '#main/scheduler/job/renderPruner';
import { startPuppetWorkers, startWorkersFor } from '#main/scheduler/workers/workers';
import { SAMPLE_PROJECT, copySample, fakeWorkers } from './helpers';

/**
 * The segment cache stays within its limit across real renders (real puppet engine, real ffmpeg):
 * after each finished render the least recently used segments go, never the render's own.
 */
const { root, project } = copySample('ps-cache-render-');
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});
const ffmpeg = resolveFfmpeg({ bundledPath: () => null });
const ffprobe = resolveFfprobe(ffmpeg);

function setSeed(dir: string, seed: number): void {
  const file = join(dir, 'project.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.render.seed = seed;
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

async function prepare(dir: string, to = 48): Promise<ProjectRender> {
  return prepareProjectRender(dir, { from: 0, to, format: 'mp4' }, { pictureSize });
}

async function render(
  job: ProjectRender,
  dispatcher: Dispatcher,
  opts: { output: string; limit: number; resume?: boolean },
) {
  const prunes: CachePruneOutcome[] = [];
  const finished = await runRenderJob(
    {
      ...renderJobSpec(job, {
        output: opts.output,
        ffmpeg: ffmpeg.path,
        ffprobe,
        ...(opts.resume ? { resume: true } : {}),
      }),
      cacheLimitBytes: opts.limit,
    },
    { dispatcher, onCachePrune: (o) => prunes.push(o) },
  );
  return { finished, prunes };
}

const cachedHashes = async (job: ProjectRender, dir: string) => {
  const cache = SegmentCache.forProject(dir);
  const hashes = planFor(job).segments.map((s) => s.hash);
  const present = await Promise.all(hashes.map((h) => cache.has(h)));
  return { hashes, present };
};

describe('segment cache limit across renders (real engine)', () => {
  it("keeps the last render's segments, removes older ones, and the kept render replays from cache", async () => {
    setSeed(project, 0);
    const jobA = await prepare(project);
    const dispatcher = new Dispatcher(await startWorkersFor(jobA, 1, startPuppetWorkers));
    try {
      const outA = join(root, 'a.mp4');
      const a = await render(jobA, dispatcher, { output: outA, limit: 20 * 1024 ** 3 });
      expect(a.finished).toMatchObject({ frames: 48, segmentsRendered: 2, segmentsCached: 0 });
      expect(a.prunes).toHaveLength(1);
      expect(a.prunes[0]).toMatchObject({ when: 'finished', result: { removed: { files: 0 } } });
      const sizeA = (await cacheUsage(project)).byKind.segments.bytes;
      expect(sizeA).toBeGreaterThan(100_000);

      // Different settings (seed) → every segment hash changes. The limit holds one render.
      setSeed(project, 1);
      const jobB = await prepare(project);
      const outB = join(root, 'b.mp4');
      const b = await render(jobB, dispatcher, { output: outB, limit: sizeA });
      expect(b.finished).toMatchObject({ segmentsRendered: 2, segmentsCached: 0 });
      const pruned = b.prunes[0]!;
      if (!('result' in pruned)) throw pruned.error;
      expect(pruned.result.removed.byKind.segments.files).toBe(2);
      const A = await cachedHashes(jobA, project);
      const B = await cachedHashes(jobB, project);
      expect(new Set([...A.hashes, ...B.hashes]).size).toBe(4);
      expect(A.present).toEqual([false, false]); // older render: gone
      expect(B.present).toEqual([true, true]); // the render that just finished: all kept
      expect((await cacheUsage(project)).byKind.segments.files).toBe(2);

      // The kept render replays entirely from the cache (and resumes: its job is there), which
      // marks its segments as recently used.
      const before = statSync(SegmentCache.forProject(project).pathOf(B.hashes[0]!)).mtimeMs;
      await new Promise((r) => setTimeout(r, 20));
      const again = await render(jobB, dispatcher, { output: outB, limit: sizeA, resume: true });
      expect(again.finished).toMatchObject({ frames: 48, segmentsRendered: 0, segmentsCached: 2 });
      // A resume re-encodes from the first frame: its coherence report covers the whole video and
      // equals the report of the render that made the segments.
      expect(again.finished.coherence).toMatchObject({ frames: 48, boundaries: 1 });
      expect(again.finished.coherence).toEqual(b.finished.coherence);
      const after = statSync(SegmentCache.forProject(project).pathOf(B.hashes[0]!)).mtimeMs;
      expect(after).toBeGreaterThan(before);

      // The older render has to render again, and then B's segments are the ones to go.
      setSeed(project, 0);
      const a2 = await render(jobA, dispatcher, { output: outA, limit: sizeA });
      expect(a2.finished).toMatchObject({ segmentsRendered: 2, segmentsCached: 0 });
      expect((await cachedHashes(jobA, project)).present).toEqual([true, true]);
      expect((await cachedHashes(jobB, project)).present).toEqual([false, false]);
    } finally {
      await dispatcher.close();
    }
  });

  it('a failing prune is reported (or logged), never fails the finished render', async () => {
    const dir = join(root, 'loop');
    cpSync(SAMPLE_PROJECT, dir, { recursive: true });
    mkdirSync(join(dir, 'cache'), { recursive: true });
    // A folder the pruner cannot list (ELOOP): pruning throws, the render must not.
    symlinkSync(join(dir, 'cache', 'diffusion-banks'), join(dir, 'cache', 'diffusion-banks'));
    const job = await prepare(dir, 24);
    const dispatcher = new Dispatcher(await startWorkersFor(job, 1, fakeWorkers()));
    try {
      const r = await render(job, dispatcher, { output: join(root, 'loop.mp4'), limit: 0 });
      expect(r.finished).toMatchObject({ frames: 24, segmentsRendered: 1 });
      expect(r.prunes).toHaveLength(1);
      const p = r.prunes[0]!;
      expect('error' in p && p.error.message).toMatch(
        /cache\/diffusion-banks is a link that leads back to itself/,
      );

      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const spec = renderJobSpec(job, {
          output: join(root, 'loop2.mp4'),
          ffmpeg: ffmpeg.path,
          ffprobe,
        });
        const again = await runRenderJob({ ...spec, cacheLimitBytes: 0 }, { dispatcher });
        expect(again).toMatchObject({ frames: 24, segmentsCached: 1 });
        expect(warn).toHaveBeenCalledWith(
          expect.stringMatching(/^pose-studio: cache not pruned: .*leads back to itself/),
        );
      } finally {
        warn.mockRestore();
      }
      await expect(
        runRenderJob(
          {
            ...renderJobSpec(job, {
              output: join(root, 'loop3.mp4'),
              ffmpeg: ffmpeg.path,
              ffprobe,
            }),
            cacheLimitBytes: -1,
          },
          { dispatcher },
        ),
      ).rejects.toThrow(/cache limit must be a size in bytes/);
    } finally {
      await dispatcher.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    'on a full disk, a segment write makes room by pruning old cache files and the render finishes',
    async () => {
      const disk = join(root, 'small');
      mkdirSync(disk);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk], { stdio: 'ignore' });
      mounts.push(disk);
      const dir = join(disk, 'p');
      cpSync(SAMPLE_PROJECT, dir, { recursive: true });
      // Fill the disk with old cached segments of some earlier render, ~64 KB left: the manifest
      // fits, a segment of 24 puppet frames (~1 MB) does not.
      const stale: string[] = [];
      const free = () =>
        Number(
          execFileSync('df', ['--output=avail', '-B1', disk], { encoding: 'utf8' }).split('\n')[1],
        );
      for (let n = 0; free() > 64 * 1024 + 512 * 1024; n++) {
        const h = (0xf0 + (n % 16)).toString(16) + n.toString(16).padStart(30, '0');
        const file = join(dir, 'cache', 'segments', h.slice(0, 2), `${h}.seg`);
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, new Uint8Array(512 * 1024));
        const old = Date.now() / 1000 - 3600 * (100 - n);
        utimesSync(file, old, old);
        stale.push(file);
      }
      writeFileSync(join(disk, 'filler'), new Uint8Array(Math.max(0, free() - 64 * 1024)));

      const job = await prepare(dir, 24);
      const dispatcher = new Dispatcher(await startWorkersFor(job, 1, startPuppetWorkers));
      try {
        const r = await render(job, dispatcher, {
          output: join(root, 'full.mp4'),
          limit: 1024 ** 3,
        });
        expect(r.finished).toMatchObject({ frames: 24, segmentsRendered: 1 });
        const room = r.prunes.find((p) => p.when === 'disk-full');
        expect(room && 'result' in room && room.result.removed.bytes).toBeGreaterThan(0);
        // Oldest first: the first stale files are gone, the render's segment is there.
        expect(existsSync(stale[0]!)).toBe(false);
        expect((await cachedHashes(job, dir)).present).toEqual([true]);
      } finally {
        await dispatcher.close();
      }
    },
  );
});
