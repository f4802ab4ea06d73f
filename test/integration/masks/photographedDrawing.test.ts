/**
 * A drawing photographed on paper, uncropped (AnimatedDrawings' garlic, test/fixtures/masks): the
 * paper lies on a table with a shadow across it, so there is no flat border to flood from, and the
 * person-segmentation model finds a blob over half of it. Through the engine process, the mask is
 * the drawn lines closed and filled: the whole garlic with its thin arms and legs, nothing of the
 * paper, the shadow or the table, every joint inside.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { countSet } from '#shared/puppet/mask';
import { firstPerson } from '../../../bench/masks/photoCases';

const DIR = resolve(import.meta.dirname, '../../fixtures/masks');
const photo = resolve(DIR, 'garlic_photo.jpg');
const W = 756;
const H = 1008;

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start();
});
afterAll(() => engine?.close());

describe('a drawing photographed on paper', () => {
  it('is masked by its drawn lines, not by the person model', async () => {
    const ref = firstPerson(resolve(DIR, 'garlic_pose.json'), W, H);
    const info = await engine.setupCharacter({ picturePath: photo, referencePose: ref });
    expect([info.width, info.height]).toEqual([W, H]);
    expect(info.maskSource).toBe('drawing');
    const codes = info.warnings.map((w) => w.code);
    expect(codes).not.toContain('rough-mask');
    expect(codes).not.toContain('joints-outside-mask');
    const { mask } = engine.characterLayers(info.characterId)!;
    const at = (x: number, y: number) => mask[y * W + x];
    // The bulb, the neck's top, a hand's twig and a foot: in. The paper, the shadow and the table
    // at the picture's edge: out.
    expect(at(391, 560)).toBe(1);
    expect(at(600, 250)).toBe(1);
    expect(at(391, 230)).toBe(1);
    expect(at(160, 295)).toBe(1);
    expect(at(311, 683)).toBe(1);
    for (const [x, y] of [
      [100, 150],
      [650, 500],
      [100, 800],
      [380, 900],
      [5, 5],
      [750, 1000],
    ] as const)
      expect(at(x, y)).toBe(0);
    const share = countSet(mask) / (W * H);
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.3);
  }, 60_000);
});
