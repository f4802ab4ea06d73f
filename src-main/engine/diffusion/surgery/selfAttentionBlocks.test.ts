import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '#native-models/diffusion/tinyPack/graphBuilder';
import {
  attention,
  fusedSelfAttention,
  linear,
} from '#native-models/diffusion/tinyPack/unetBlocks';
import { buildVaeDecoder } from '#native-models/diffusion/tinyPack/vaeGraphs';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { findSelfAttentionBlocks } from './selfAttentionBlocks';

const block = '/down_blocks.0/attentions.0/transformer_blocks.0/attn1';

function graphWith(build: (g: GraphBuilder, x: string) => string) {
  const g = new GraphBuilder(new SeededRandom(1));
  const x = g.input('x', 'float32', ['batch', 'tokens', 8]);
  g.output(build(g, x), 'float32', ['batch', 'tokens', 8]);
  return g.toModel('test').graph!;
}

describe('findSelfAttentionBlocks', () => {
  it('recognises unfused diffusers attention and its K/V tensors', () => {
    const blocks = findSelfAttentionBlocks(
      graphWith((g, x) => attention(g, block, x, x, 8, 8, 2)),
      'unet',
      { tiled: false },
    );
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      block: 'down_blocks.0.attentions.0.transformer_blocks.0.attn1',
      key: `${block}/to_k/MatMul_output_0`,
      value: `${block}/to_v/MatMul_output_0`,
      channels: 8,
      form: 'unfused',
    });
  });

  it('tiles unfused attention into one MultiHeadAttention reading the same Q, K, V', () => {
    const graph = graphWith((g, x) => attention(g, block, x, x, 8, 8, 2));
    const [found] = findSelfAttentionBlocks(graph);
    expect(found).toMatchObject({
      key: `${block}/to_k/MatMul_output_0`,
      value: `${block}/to_v/MatMul_output_0`,
      form: 'multi-head-attention',
      foundAs: 'unfused MatMul/Softmax, tiled into MultiHeadAttention',
    });
    const mha = found!.core[0]!;
    expect(mha.input).toEqual([
      `${block}/to_q/MatMul_output_0`,
      `${block}/to_k/MatMul_output_0`,
      `${block}/to_v/MatMul_output_0`,
    ]);
    const attrs = Object.fromEntries((mha.attribute ?? []).map((a) => [a.name, a.i ?? a.f]));
    expect(Number(attrs['num_heads'])).toBe(2);
    expect(attrs['scale']).toBeCloseTo(1 / Math.sqrt(4), 6);
    // The old chain is gone: no Softmax is left to hold the scores.
    expect((graph.node ?? []).some((n) => n.opType === 'Softmax')).toBe(false);
  });

  it('recognises ORT MultiHeadAttention with separate K and V', () => {
    const blocks = findSelfAttentionBlocks(
      graphWith((g, x) => fusedSelfAttention(g, block, x, 8, 2)),
    );
    expect(blocks[0]!.form).toBe('multi-head-attention');
  });

  it('refuses a graph without recognisable self-attention', () => {
    expect(() => findSelfAttentionBlocks(buildVaeDecoder(new SeededRandom(1)).graph!)).toThrow(
      /no self-attention found/,
    );
  });

  it('rewrites ORT Attention (packed QKV weights) into MultiHeadAttention with separate Q, K, V', () => {
    const graph = graphWith((g, x) => {
      const w = g.weight('qkv', [8, 24]);
      const mixed = g.node(
        'Attention',
        `${block}/Attention`,
        [x, w],
        { num_heads: 2 },
        1,
        'com.microsoft',
      )[0]!;
      return linear(g, `${block}/to_out.0`, mixed, 8, 8);
    });
    const [found] = findSelfAttentionBlocks(graph);
    expect(found).toMatchObject({
      block: 'down_blocks.0.attentions.0.transformer_blocks.0.attn1',
      channels: 8,
      form: 'multi-head-attention',
    });
    expect(found!.foundAs).toMatch(/^Attention /);
    expect(graph.node!.some((n) => n.opType === 'Attention')).toBe(false);
  });

  it('refuses self-attention MultiHeadAttention with a mask', () => {
    const graph = graphWith((g, x) => {
      const q = linear(g, `${block}/to_q`, x, 8, 8, false);
      const k = linear(g, `${block}/to_k`, x, 8, 8, false);
      const v = linear(g, `${block}/to_v`, x, 8, 8, false);
      const mask = g.input('mask', 'int32', ['batch', 'tokens']);
      return g.node(
        'MultiHeadAttention',
        `${block}/MultiHeadAttention`,
        [q, k, v, '', mask],
        { num_heads: 2 },
        1,
        'com.microsoft',
      )[0]!;
    });
    expect(() => findSelfAttentionBlocks(graph)).toThrow(/mask, attention bias or past/);
  });

  it('finds self-attention by structure: not cross-attention named attn1, not projections without attention', () => {
    const cross = graphWith((g, x) => {
      const ctx = g.input('ctx', 'float32', ['batch', 77, 8]);
      return attention(g, block, x, ctx, 8, 8, 2);
    });
    expect(() => findSelfAttentionBlocks(cross)).toThrow(/no self-attention found/);
    const noSoftmax = graphWith((g, x) =>
      g.op('Add', '/sum', [
        g.op('Add', '/sum0', [
          linear(g, `${block}/to_q`, x, 8, 8, false),
          linear(g, `${block}/to_k`, x, 8, 8, false),
        ]),
        linear(g, `${block}/to_v`, x, 8, 8, false),
      ]),
    );
    expect(() => findSelfAttentionBlocks(noSoftmax)).toThrow(/no self-attention found/);
    // Renamed nodes do not matter: the block is found, named by position.
    const renamed = graphWith((g, x) => attention(g, '/blk', x, x, 8, 8, 2));
    expect(findSelfAttentionBlocks(renamed).map((b) => b.block)).toEqual(['blk']);
  });

  it('refuses a head split that fixes the token count', () => {
    const graph = graphWith((g, x) => {
      const q = linear(g, `${block}/to_q`, x, 8, 8, false);
      const k = linear(g, `${block}/to_k`, x, 8, 8, false);
      const v = linear(g, `${block}/to_v`, x, 8, 8, false);
      const kh = g.op('Reshape', `${block}/Reshape_1`, [k, g.int64s([1, 64, 2, 4])]);
      const s = g.op('Softmax', `${block}/Softmax`, [g.op('MatMul', `${block}/MatMul`, [q, kh])]);
      const mixed = g.op('MatMul', `${block}/MatMul_1`, [s, v]);
      return linear(g, `${block}/to_out.0`, mixed, 8, 8);
    });
    // Q is never split into heads, so this is not attention to tile: it stays unfused, refused.
    expect(() => findSelfAttentionBlocks(graph)).toThrow(/fixed token count \(1, 64, 2, 4\)/);
  });
});
