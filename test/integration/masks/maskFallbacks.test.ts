/**
 * The order the engine chooses a mask in, and what it tells the user when it has to fall back:
 * a segmentation model that finds nobody or cannot run leaves capsules around the pose with a
 * "rough mask" warning (and, when it failed, why); joints outside a user's mask are named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseCharacterMask } from '#main/engine/mask/characterMask';
import type { PersonSegmenter } from '#main/engine/mask/personSegmenter';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { maskIoU } from '#shared/puppet/maskRefine';
import { PHOTO_CASES, firstPerson } from '../../../bench/masks/photoCases';

const dir = mkdtempSync(join(tmpdir(), 'ps-mask-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skier = PHOTO_CASES[0]!;
const fake = (segment: PersonSegmenter['segment']) => async (): Promise<PersonSegmenter> => ({
  model: 'blazepose-full',
  size: 256,
  loadMs: 0,
  segment,
});

describe('mask fallbacks', () => {
  it('a model that finds nobody leaves the pose capsules, with a rough-mask warning', async () => {
    const pic = await loadPicture(PHOTO_CASES[1]!.photo); // the fence photo: no flood fill either
    const ref = firstPerson(PHOTO_CASES[1]!.pose, pic.width, pic.height);
    const m = await chooseCharacterMask(pic, ref, {
      segmenter: fake(async () => new Float32Array(256 * 256)),
    });
    expect(m.source).toBe('pose');
    const rough = m.warnings.find((w) => w.code === 'rough-mask');
    expect(rough?.message).toMatch(/roughly/);
    expect(rough?.fix).toMatch(/mask/);
  });

  it('a model that cannot run says so, and the rough mask is still made', async () => {
    const pic = await loadPicture(PHOTO_CASES[1]!.photo);
    const ref = firstPerson(PHOTO_CASES[1]!.pose, pic.width, pic.height);
    const m = await chooseCharacterMask(pic, ref, {
      segmenter: async () => {
        throw new Error('weights missing');
      },
    });
    expect(m.source).toBe('pose');
    expect(m.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['segmentation-failed', 'rough-mask']),
    );
    expect(m.warnings.find((w) => w.code === 'segmentation-failed')?.message).toMatch(
      /weights missing/,
    );
  });

  it('what the model finds beyond a bone’s length from every bone is not this person', async () => {
    // A "model" that calls the whole crop a person, as it does with a second person beside the
    // first: the mask keeps to the pose's reach, every joint inside it, the far corners out.
    const pic = await loadPicture(PHOTO_CASES[1]!.photo);
    const ref = firstPerson(PHOTO_CASES[1]!.pose, pic.width, pic.height);
    const m = await chooseCharacterMask(pic, ref, {
      segmenter: fake(async () => new Float32Array(256 * 256).fill(1)),
    });
    expect(m.source).toBe('segmentation');
    const { width: w, height: h } = pic;
    const at = (x: number, y: number) => m.mask[Math.round(y) * w + Math.round(x)];
    let joints = 0;
    for (let j = 0; j < 18; j++)
      if (ref[j * 3 + 2]! > 0) {
        expect(at(ref[j * 3]!, ref[j * 3 + 1]!)).toBe(1);
        joints++;
      }
    expect(joints).toBeGreaterThan(10);
    for (const [x, y] of [
      [0, 0],
      [w - 1, 0],
    ])
      expect(at(x!, y!)).toBe(0);
    let inside = 0;
    for (let i = 0; i < m.mask.length; i++) inside += m.mask[i]!;
    expect(inside / (w * h)).toBeLessThan(0.75);
    // What was cut is "other people": the plate copies nothing from there, and never this person.
    expect(m.others).toBeDefined();
    expect(m.others![0]).toBe(1);
    expect([...m.mask].some((v, i) => v && m.others![i])).toBe(false);
  });

  it('a flat-background photo keeps the flood fill when the model agrees with it', async () => {
    // The skier's snow floods; a "model" that returns everything (not inside the flood fill) is
    // no refinement of it, so the flood fill stays.
    const pic = await loadPicture(skier.photo);
    const ref = firstPerson(skier.pose, pic.width, pic.height);
    const m = await chooseCharacterMask(pic, ref, {
      segmenter: fake(async () => new Float32Array(256 * 256).fill(1)),
    });
    expect(m.source).toBe('flood-fill');
  });

  it('the user mask comes first and the joints outside it are named', async () => {
    const pic = await loadPicture(skier.photo);
    const ref = firstPerson(skier.pose, pic.width, pic.height);
    // Only the upper half of the picture: the legs are outside.
    const w = pic.width;
    const h = pic.height;
    const raw = Buffer.alloc(w * h);
    raw.fill(255, 0, w * Math.round(h * 0.45));
    const file = join(dir, 'half.png');
    await sharp(raw, { raw: { width: w, height: h, channels: 1 } })
      .png()
      .toFile(file);
    const m = await chooseCharacterMask(pic, ref, {
      maskPath: file,
      segmenter: async () => {
        throw new Error('must not run');
      },
    });
    expect(m.source).toBe('user');
    const missing = m.warnings.find((w) => w.code === 'joints-outside-mask');
    expect(missing?.message).toMatch(/knee|ankle/);
    expect(missing?.joints?.length).toBeGreaterThan(0);
  });

  it('a sheet of paper photographed on a plain table: the drawing, not the sheet or the model’s blob', async () => {
    // A JPEG-like picture: a dark table, the sheet inside it, a pen circle (radius 60) with a gap.
    const W = 300;
    const H = 300;
    const data = new Uint8Array(W * H * 4);
    const truth = new Uint8Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const d = Math.hypot(x - 150, y - 150);
        const sheet = x >= 40 && x < 260 && y >= 30 && y < 270;
        const pen = d >= 59 && d < 62 && !(x > 200 && Math.abs(y - 150) < 3);
        const rgb = pen ? [50, 40, 150] : sheet ? [236, 234, 226] : [70, 60, 50];
        data.set([...rgb, 255], (y * W + x) * 4);
        truth[y * W + x] = d < 62 ? 1 : 0;
      }
    const ref = emptyPoints();
    for (const [j, x, y] of [
      [Joint.neck, 150, 100],
      [Joint.rShoulder, 115, 115],
      [Joint.lShoulder, 185, 115],
      [Joint.rHip, 130, 190],
      [Joint.lHip, 170, 190],
    ] as const)
      setPoint(ref, j, x, y);
    // The "model" finds a blob over the circle's upper half.
    const blob = new Float32Array(256 * 256);
    blob.fill(1, 0, 256 * 100);
    const m = await chooseCharacterMask({ width: W, height: H, data, format: 'jpeg' }, ref, {
      segmenter: fake(async () => blob),
    });
    expect(m.source).toBe('drawing');
    expect(maskIoU(m.mask, truth)).toBeGreaterThan(0.9);
    // Saved losslessly (no model asked), the flood fill finds the sheet and keeps it: a scan.
    const png = await chooseCharacterMask({ width: W, height: H, data, format: 'png' }, ref, {});
    expect(png.source).toBe('flood-fill');
  });
});
