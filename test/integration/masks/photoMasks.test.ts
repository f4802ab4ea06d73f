/**
 * The character mask on real photos through the engine process, against ground truth: the COCO
 * skier (its COCO polygon) and the SPIN baseball player (a hand-checked mask, test/fixtures/masks).
 * Both photos defeat the flood fill (a busy fence; snow that takes the skis and poles along), so
 * the person-segmentation model must make the mask, with IoU ≥ 0.85. A drawing on paper keeps its
 * flood fill. The setup answer carries the mask, the part map, the layers and the warnings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { maskIoU } from '#shared/puppet/maskRefine';
import { BONE_COUNT } from '#shared/puppet/bones';
import { DRAWING_CASES, PHOTO_CASES, caseReference } from '../../../bench/masks/photoCases';

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start();
});
afterAll(() => engine?.close());

describe('masks of real pictures through the engine', () => {
  for (const c of [...PHOTO_CASES, ...DRAWING_CASES]) {
    it(
      c.name,
      async () => {
        const sharp = (await import('sharp')).default;
        const meta = await sharp(c.photo).metadata();
        const ref = await caseReference(c, meta.width!, meta.height!);
        const info = await engine.setupCharacter({ picturePath: c.photo, referencePose: ref });
        const layers = engine.characterLayers(info.characterId)!;
        expect(layers.mask).toHaveLength(info.width * info.height);
        const truth = await c.truth(info.width, info.height);
        const iou = maskIoU(layers.mask, truth);
        expect(iou).toBeGreaterThanOrEqual(c.target);
        const photo = c.photo.endsWith('.jpg');
        expect(info.maskSource).toBe(c.source ?? (photo ? 'segmentation' : 'flood-fill'));
        if (photo) {
          expect(info.segmentation?.model).toBe('blazepose-full');
          expect(info.segmentation!.runMs).toBeGreaterThan(0);
        } else expect(info.segmentation).toBeUndefined();
        // No rough mask, no joint left outside it.
        expect(info.warnings.map((w) => w.code)).not.toContain('rough-mask');
        expect(info.warnings.map((w) => w.code)).not.toContain('joints-outside-mask');
        // Every character pixel has a part; background pixels none.
        let owned = 0;
        for (let i = 0; i < layers.mask.length; i++) {
          if (layers.mask[i]) expect(layers.parts[i]).toBeLessThan(BONE_COUNT);
          else expect(layers.parts[i]).toBe(255);
          owned += layers.mask[i]!;
        }
        expect(owned).toBe(info.maskPixels);
        expect(info.layers).toHaveLength(BONE_COUNT);
        await engine.releaseCharacter(info.characterId);
      },
      120_000,
    );
  }
});
