/**
 * DWPose extractor with real ONNX Runtime sessions on a tiny pack that has the real models'
 * signatures (see tinyDwposePack.ts). Checks loading, letterbox → YOLOX decode → crop → SimCC →
 * source pixels, the CLI's `--pack dwpose <dir>`, and clear refusals of broken packs.
 * (DWPose's accuracy itself cannot be measured here: the real weights cannot be downloaded.)
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDwposeExtractor,
  dwposeExtractorFromModels,
} from '#main/engine/extract/dwposeExtractor';
import { dwposeModelsFromPool } from '#main/engine/extract/pooledModels';
import { SessionPool } from '#main/engine/sessionPool';
import { ExtractorError } from '#main/engine/extract/extractor';
import { Joint } from '#shared/pose/skeleton';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { TINY_PICTURE, writeTinyDwposePack } from './tinyDwposePack';

let dir: string;
let pack: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-dwpose-'));
  pack = await writeTinyDwposePack(join(dir, 'pack'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DWPose extractor (tiny pack)', () => {
  it('finds the one person and maps keypoints back to source pixels', async () => {
    const ex = await createDwposeExtractor(pack);
    try {
      const image = {
        ...TINY_PICTURE,
        data: new Uint8Array(TINY_PICTURE.width * TINY_PICTURE.height * 3).fill(90),
      };
      const people = await ex.extract(image);
      expect(people).toHaveLength(1);
      const p = people[0]!;
      // Nose at the crop centre = the box centre (140, 130).
      expect(p[Joint.nose * 3]).toBeCloseTo(140, 3);
      expect(p[Joint.nose * 3 + 1]).toBeCloseTo(130, 3);
      expect(p[Joint.nose * 3 + 2]).toBeCloseTo(0.9, 5);
      // Left shoulder at the crop's top-left: (140 − 168.75/2, 130 − 225/2).
      expect(p[Joint.lShoulder * 3]).toBeCloseTo(55.625, 3);
      expect(p[Joint.lShoulder * 3 + 1]).toBeCloseTo(17.5, 3);
      // Neck between the shoulders; the 0.2-scored wrist is missing.
      expect(p[Joint.neck * 3 + 2]).toBeCloseTo(0.7, 5);
      expect(p[Joint.lWrist * 3 + 2]).toBe(0);
      expect(ex.info.name).toBe('dwpose');
    } finally {
      await ex.close();
    }
  });

  it('runs on sessions of the engine session pool through the same seam', async () => {
    const pool = new SessionPool({ providers: ['cpu'], threads: 1 });
    try {
      const ex = dwposeExtractorFromModels(await dwposeModelsFromPool(pool, pack));
      const image = {
        ...TINY_PICTURE,
        data: new Uint8Array(TINY_PICTURE.width * TINY_PICTURE.height * 3),
      };
      const [p] = await ex.extract(image);
      expect(p![Joint.nose * 3]).toBeCloseTo(140, 3);
      expect(p![Joint.lShoulder * 3 + 1]).toBeCloseTo(17.5, 3);
      await expect(dwposeModelsFromPool(pool, join(dir, 'nowhere'))).rejects.toThrow(
        /missing .*yolox_l\.onnx/,
      );
    } finally {
      await pool.close();
    }
  });

  it('refuses a pack with a missing or broken model, naming the file', async () => {
    const broken = join(dir, 'broken');
    await writeTinyDwposePack(broken);
    await rm(join(broken, 'dw-ll_ucoco_384.onnx'));
    await expect(createDwposeExtractor(broken)).rejects.toThrow(/missing .*dw-ll_ucoco_384\.onnx/);
    await writeFile(join(broken, 'dw-ll_ucoco_384.onnx'), 'not a model');
    const err = await createDwposeExtractor(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractorError);
    expect((err as Error).message).toMatch(/cannot open .*dw-ll_ucoco_384\.onnx as an ONNX model/);
  });

  it('refuses models with the wrong outputs', async () => {
    const swapped = join(dir, 'swapped');
    await writeTinyDwposePack(swapped);
    // The detector in the pose slot: one output, not simcc_x/simcc_y.
    await copyFile(join(swapped, 'yolox_l.onnx'), join(swapped, 'dw-ll_ucoco_384.onnx'));
    await expect(createDwposeExtractor(swapped)).rejects.toThrow(/expected two outputs/);
  });

  it('extracts a video through the CLI with --pack dwpose <dir>', async () => {
    const video = join(dir, 'grey.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=gray:s=${TINY_PICTURE.width}x${TINY_PICTURE.height}:r=10:d=0.5`,
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    ]);
    const out = join(dir, 'poses.json');
    const r = await runCliCaptured([
      'extract',
      video,
      '-o',
      out,
      '--pack',
      'dwpose',
      pack,
      '--smooth',
      'off',
    ]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const frames = JSON.parse(await readFile(out, 'utf8')) as {
      people: { pose_keypoints_2d: number[] }[];
    }[];
    expect(frames).toHaveLength(5);
    for (const f of frames) {
      expect(f.people).toHaveLength(1);
      expect(f.people[0]!.pose_keypoints_2d[0]).toBeCloseTo(140, 2);
    }
    const bad = await runCliCaptured([
      'extract',
      video,
      '-o',
      join(dir, 'x.json'),
      '--pack',
      'dwpose',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--pack dwpose needs the pack folder/);
  });
});
