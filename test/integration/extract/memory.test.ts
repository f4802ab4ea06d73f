/**
 * Bounded memory on a long high-resolution clip: 30 s of 960×540 at 30 fps (900 frames, 1.4 GB
 * of raw RGB) streams through the import with a constant one-person extractor (the extractor's
 * own cost is not the question here; bench:extract measures that). Resident memory may grow by
 * the stored poses (~3.3 kB a frame) and allocator slack, never by the frames.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoseExtractor } from '#main/engine/extract/extractor';
import { extractVideo } from '#main/engine/extract/extractPoses';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';

let dir: string;
let video: string;
let ffmpeg: string;
let ffprobe: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-memory-'));
  video = join(dir, 'long.mp4');
  const bin = resolveFfmpeg();
  ffmpeg = bin.path;
  ffprobe = resolveFfprobe(bin);
  execFileSync(ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=960x540:r=30:d=30',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '35',
    video,
  ]);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in extractor: one person whose nose follows the frame's mean brightness. */
function constantExtractor(): PoseExtractor {
  return {
    info: { name: 'builtin', models: 'test: constant person', maxPeople: 1 },
    async extract(image) {
      const p = emptyPoints();
      let sum = 0;
      for (let i = 0; i < image.data.length; i += 997) sum += image.data[i]!;
      for (const j of [Joint.nose, Joint.neck, Joint.rHip, Joint.lHip])
        setPoint(p, j, 100 + j, 100 + (sum % 50));
      return [p];
    },
    async close() {},
  };
}

describe('long clip memory', () => {
  it('streams 900 frames of 960×540 with resident memory growth under 150 MB', async () => {
    const probe = await probeVideo(ffprobe, video);
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let lastFrame = 0;
    const r = await extractVideo({
      ffmpeg,
      file: video,
      probe,
      extractor: constantExtractor(),
      onProgress: (p) => {
        lastFrame = p.frame;
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    clearInterval(timer);
    expect(r.frames).toHaveLength(900);
    expect(lastFrame).toBe(900);
    const grewMb = (peak - base) / 2 ** 20;
    console.log(
      `long clip: 900 frames 960×540 (1.4 GB raw RGB), peak RSS growth ${grewMb.toFixed(0)} MB`,
    );
    expect(grewMb).toBeLessThan(150);
  }, 120_000);
});
