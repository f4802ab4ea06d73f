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
});
