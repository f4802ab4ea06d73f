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
 * bench:diffusion -- --attention-forms` measures them again). Self-attentions the surgery tiles
 * into MultiHeadAttention (surgery/tiledAttention.ts) count 0.1; cross-attention stays as it is.
 */
/** The distinct score-buffer counts of the self- and of the cross-attentions of a graph. */
const count = (file: string) => {
  const shape = attentionShapes(readFileSync(file));
  const of = (self: boolean) =>
    [...new Set(shape.attentions.filter((a) => a.self === self).map((a) => a.scoreBuffers))].sort();
  return { shape, self: of(true), cross: of(false) };
};

const root = mkdtempSync(join(tmpdir(), 'score-buffers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('score buffers per attention form', () => {
  it("diffusers' export (torch 1.x baddbmm: a [B·h, L, S] zero tensor added to the scores): 3 untiled", () => {
    for (const pack of ['diffusers-onnx', 'controlnet-openpose-onnx']) {
      const { shape, self, cross } = count(tinyRealUnet(pack));
      expect(shape.attentions).toHaveLength(32);
      expect(self).toEqual([0.1]);
      expect(cross).toEqual([3]);
    }
    // The ControlNet's self-attention is tiled when the pack opens (openPack → tileSelfAttentions).
    const controlnet = count(
      join(SD15_TINY_REAL, 'controlnet-openpose-onnx/controlnet/model.onnx'),
    );
    expect(controlnet.self).toEqual([0.1]);
    expect(controlnet.cross).toEqual([3]);
  });

  it('ORT-fused packs: self-attention tiled, cross-attention MultiHeadAttention counted 1', () => {
    for (const pack of ['olive-fused-cpu', 'olive-fused-dml']) {
      const { shape, self, cross } = count(tinyRealUnet(pack));
      expect(shape.attentions).toHaveLength(32);
      expect(self).toEqual([0.1]);
      expect(cross).toEqual([1]);
    }
  });

  it('MatMul → Mul(scale) → Softmax → MatMul with head-split transposes (the tiny pack): 2 untiled', async () => {
    const pack = await buildTinyPack(join(root, 'pack'));
    const { shape, self, cross } = count(join(pack, 'unet/model.onnx'));
    expect(shape.attentions.length).toBeGreaterThan(0);
    expect(self).toEqual([0.1]);
    expect(cross).toEqual([2]);
  });
});
