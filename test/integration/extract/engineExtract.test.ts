/**
 * Extraction in the real engine process (EngineClient → engineHost → built-in extractor): the
 * SPIN photo (real OpenPose output as ground truth) posed by path and by bytes, a short video
 * through the video importer with the engine as its extractor, bad input, and the caller's event
 * loop staying free while the engine works.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EngineClient,
  EngineCrashedError,
  EngineRequestError,
} from '#main/engine/client/engineClient';
import { EngineExtractor } from '#main/engine/extract/engineExtractor';
import { extractVideo } from '#main/engine/extract/extractPoses';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { PckTally } from '#shared/extract/pck';
import {
  ALL_BODY,
  formatPck,
  groundTruthPhotos,
  pckByPart,
  type GroundTruthPhoto,
} from './accuracy';

let dir: string;
let engine: EngineClient;
let spin: GroundTruthPhoto;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-extract-'));
  spin = (await groundTruthPhotos()).find((p) => p.name.startsWith('spin'))!;
  engine = await EngineClient.start({ modelCacheDir: join(dir, 'models') });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

function pck(points: Float64Array | undefined): Record<string, number> {
  const tally = new PckTally();
  tally.add(points ?? null, spin.pose, ALL_BODY);
  return pckByPart(tally);
}

describe('extraction in the engine process', () => {
  it('poses the SPIN photo by path like its OpenPose ground truth, without blocking the caller', async () => {
    // The caller's event loop must keep ticking while the engine runs tfjs-wasm.
    let worstLag = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 20);
      last = now;
    }, 20);
    const r = await engine.extractPicturePose({ source: { path: spin.picture } });
    clearInterval(ticker);
    expect([r.width, r.height]).toEqual([153, 192]);
    expect(r.extractor).toBe('builtin');
    expect(r.people).toHaveLength(1);
    const score = pck(r.people[0]);
    console.log(formatPck('engine, photo: spin im1010', score), `(${r.ms.toFixed(0)} ms)`);
    expect(score.all).toBeGreaterThanOrEqual(0.9);
    // Loading and posing take seconds; the caller was never held up for long.
    expect(r.ms).toBeGreaterThan(worstLag * 2);
    expect(worstLag).toBeLessThan(1000);
  }, 300_000);

  it('gives the same pose from the picture bytes', async () => {
    const byPath = await engine.extractPicturePose({ source: { path: spin.picture } });
    const bytes = new Uint8Array(await readFile(spin.picture));
    const byBytes = await engine.extractPicturePose({ source: { bytes } });
    expect([byBytes.width, byBytes.height]).toEqual([153, 192]);
    expect(Array.from(byBytes.people[0]!)).toEqual(Array.from(byPath.people[0]!));
  }, 120_000);

  it('refuses bad input with a clear message and keeps working', async () => {
    const notPicture = engine.extractPicturePose({
      source: { bytes: new TextEncoder().encode('not a picture') },
    });
    await expect(notPicture).rejects.toThrow(EngineRequestError);
    await expect(notPicture).rejects.toThrow(/not a picture that can be read/);
    await expect(
      engine.extractPicturePose({ source: { path: join(dir, 'missing.jpg') } }),
    ).rejects.toThrow(/missing\.jpg: not a picture/);
    await expect(
      engine.extractPicturePose({
        source: { path: spin.picture },
        extractor: { name: 'dwpose', packDir: join(dir, 'no-pack') },
      }),
    ).rejects.toMatchObject({ kind: 'model' });
    await expect(
      engine.extractFramePoses({ frame: { width: 4, height: 4, data: new Uint8Array(5) } }),
    ).rejects.toThrow(/width × height × 3/);
    expect((await engine.info()).pid).toBeGreaterThan(0);
    expect(engine.restarts).toBe(0);
  }, 120_000);

  it('an engine that dies mid-extraction fails that call only; the next one works', async () => {
    const { pid } = await engine.info();
    const call = engine.extractPicturePose({ source: { path: spin.picture } });
    setTimeout(() => process.kill(pid, 'SIGKILL'), 50);
    await expect(call).rejects.toThrow(EngineCrashedError);
    const r = await engine.extractPicturePose({ source: { path: spin.picture } });
    expect((await engine.info()).pid).not.toBe(pid);
    expect(pck(r.people[0]).all).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it('imports a video frame by frame through the engine', async () => {
    const ff = resolveFfmpeg();
    const video = join(dir, 'still.mp4');
    await promisify(execFile)(ff.path, [
      '-v', 'error', '-loop', '1', '-i', spin.picture, '-frames:v', '3', '-r', '6',
      '-vf', 'scale=154:192', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '18', video,
    ]); // prettier-ignore
    const probe = await probeVideo(resolveFfprobe(ff), video);
    const progress: number[] = [];
    const r = await extractVideo({
      ffmpeg: ff.path,
      file: video,
      probe,
      extractor: new EngineExtractor(engine),
      smoothing: null,
      onProgress: (p) => progress.push(p.frame),
    });
    expect(r.frames).toHaveLength(3);
    expect(progress).toEqual([1, 2, 3]);
    expect(r.peopleSeen).toBe(1);
    for (const f of r.frames) expect(pck(f.people[0]?.points).all).toBeGreaterThanOrEqual(0.8);
  }, 300_000);
});
