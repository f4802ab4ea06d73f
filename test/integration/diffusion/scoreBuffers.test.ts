import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attentionShapes } from '#main/engine/diffusion/pipeline/attentionShapes';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { SD15_TINY_REAL, tinyRealUnet } from '#test/helpers/diffusion/sd15TinyReal';

/**
 * The memory estimate's score buffers per attention, read from real exports' graphs. The counts
 * are what ONNX Runtime was measured to hold for each form (scoreBuffers.ts; `npm run
 * bench:diffusion -- --attention-forms` measures them again).
 */
const count = (file: string) => {
  const shape = attentionShapes(readFileSync(file));
  const by = new Map<string, number>();
  for (const a of shape.attentions) by.set(a.scope, a.scoreBuffers);
  return { shape, values: [...new Set(by.values())].sort() };
};

const root = mkdtempSync(join(tmpdir(), 'score-buffers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('score buffers per attention form', () => {
  it("diffusers' export (torch 1.x baddbmm: a [B·h, L, S] zero tensor added to the scores): 3", () => {
    for (const pack of ['diffusers-onnx', 'controlnet-openpose-onnx']) {
      const { shape, values } = count(tinyRealUnet(pack));
      expect(shape.attentions).toHaveLength(32);
      expect(values).toEqual([3]);
    }
    const controlnet = count(
      join(SD15_TINY_REAL, 'controlnet-openpose-onnx/controlnet/model.onnx'),
    );
    expect(controlnet.values).toEqual([3]);
  });

  it('ORT-fused packs (Attention, MultiHeadAttention): 1', () => {
    for (const pack of ['olive-fused-cpu', 'olive-fused-dml']) {
      const { shape, values } = count(tinyRealUnet(pack));
      expect(shape.attentions).toHaveLength(32);
      expect(values).toEqual([1]);
    }
  });

  it('MatMul → Mul(scale) → Softmax → MatMul with head-split transposes (the tiny pack): 2', async () => {
    const pack = await buildTinyPack(join(root, 'pack'));
    const { shape, values } = count(join(pack, 'unet/model.onnx'));
    expect(shape.attentions.length).toBeGreaterThan(0);
    expect(values).toEqual([2]);
  });
});
