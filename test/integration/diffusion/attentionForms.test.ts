import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceUnet, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import {
  maxAbs,
  maxAbsDiff,
  tinyRealUnet,
  tinyRealUnetFeeds,
} from '#test/helpers/diffusion/sd15TinyReal';

/**
 * Reference attention on every attention form of the real-structure fixtures, which share their
 * weights: the unfused diffusers export (ControlNet-aware UNet, Amuse/OnnxStack names) as it is
 * and tiled into MultiHeadAttention (what the product runs: surgery/tiledAttention.ts), ORT's
 * cpu_mha fusion (self-attention as `Attention`, cross-attention as MultiHeadAttention with
 * separate Q/K/V and a bias) and its olive_old fusion for DirectML (packed-QKV and packed-KV
 * MultiHeadAttention, GroupNorm), which the CPU provider cannot run until it is rewritten.
 * The plain UNet output, the bank and the reader output must agree across forms.
 */
const provider = new LocalSessionProvider();
const packs = {
  unfused: ['controlnet-openpose-onnx', { tiled: false }],
  'unfused, tiled into MultiHeadAttention': ['controlnet-openpose-onnx', {}],
  'cpu_mha (Attention)': ['olive-fused-cpu', {}],
  'olive_old for DirectML (packed QKV/KV, GroupNorm)': ['olive-fused-dml', {}],
} as const;
type Form = keyof typeof packs;
const unets = new Map<Form, ReferenceUnet>();
let plain: ort.InferenceSession;
const TOLERANCE = 1e-3;

beforeAll(async () => {
  for (const [form, [pack, options]] of Object.entries(packs) as [
    Form,
    (typeof packs)[Form],
  ][])
    unets.set(form, await ReferenceUnet.open(tinyRealUnet(pack), provider, options));
  plain = await ort.InferenceSession.create(tinyRealUnet('controlnet-openpose-onnx'));
}, 120_000);
afterAll(async () => {
  for (const u of unets.values()) await u.dispose();
  await plain?.release();
});

const unfused = () => unets.get('unfused')!;
const feeds = (frames: number[]) => tinyRealUnetFeeds(plain.inputNames, frames);

function bankDiff(a: ReferenceBank, b: ReferenceBank): number {
  let m = 0;
  for (const s of a.slots)
    for (const name of [s.keyName, s.valueName])
      m = Math.max(m, maxAbsDiff(a.tensors.get(name)!, b.tensors.get(name)!));
  return m;
}

describe('reference attention on every attention form of the fixtures', () => {
  it('finds the same 16 self-attention blocks, by structure, in every form', () => {
    const names = unfused().slots.map((s) => s.block);
    expect(names).toHaveLength(16);
    expect(names[0]).toBe('down_blocks.0.attentions.0.transformer_blocks.0.attn1');
    expect(names.at(-1)).toBe('up_blocks.3.attentions.2.transformer_blocks.0.attn1');
    for (const u of unets.values()) {
      expect(u.slots.map((s) => s.block)).toEqual(names);
      expect(u.slots.every((s) => s.channels === 32)).toBe(true);
    }
  });

  it('reports what each form was and what the CPU provider needed', () => {
    expect(unfused().changes).toEqual(['self-attention: unfused MatMul/Softmax']);
    expect(unets.get('unfused, tiled into MultiHeadAttention')!.changes).toEqual([
      'self-attention: unfused MatMul/Softmax, tiled into MultiHeadAttention',
    ]);
    expect(unets.get('cpu_mha (Attention)')!.changes).toEqual([
      expect.stringMatching(/^self-attention: Attention Attention_0/),
      ...Array.from({ length: 15 }, () => expect.stringMatching(/^self-attention: Attention /)),
    ]);
    const dml = unets.get('olive_old for DirectML (packed QKV/KV, GroupNorm)')!.changes;
    expect(dml.filter((c) => c.startsWith('GroupNorm '))).toHaveLength(61);
    expect(dml.filter((c) => /packed QKV\) → separate/.test(c))).toHaveLength(16);
    expect(dml.filter((c) => /packed KV\) → separate/.test(c))).toHaveLength(16);
    for (const u of unets.values()) expect(u.runsOn).toBe('cpu');
  });

  it.each(Object.keys(packs).slice(1) as Form[])(
    '%s: plain output, bank and reader output agree with the unfused export (≤ 1e-3)',
    async (form) => {
      const fused = unets.get(form)!;
      const reference = feeds([3]);
      const truth = (await plain.run(reference))['out_sample']!;
      const mine = await unfused().writeBank(reference);
      const theirs = await fused.writeBank(reference);
      // The bank pass of the unfused graph only adds outputs: bit-identical to the UNet file.
      expect(maxAbsDiff(mine.outSample, truth)).toBe(0);
      const plainDiff = maxAbsDiff(theirs.outSample, truth);
      const bankDiffs = bankDiff(mine.bank, theirs.bank);

      // Reader: two frames attending to the bank, to each other, one with style fidelity.
      const frames = feeds([5, 6]);
      const read = async (u: ReferenceUnet, bank: ReferenceBank) =>
        u.run(frames, bank, [1, 0], [0.5, 0]);
      const a = await read(unfused(), mine.bank);
      const b = await read(fused, theirs.bank);
      const readerDiff = maxAbsDiff(a, b);
      const scale = maxAbs(a);
      console.log(
        `${form}: max abs diff plain ${plainDiff.toExponential(2)}, bank ${bankDiffs.toExponential(2)}, ` +
          `reader ${readerDiff.toExponential(2)} (max |out| ${scale.toFixed(3)})`,
      );
      expect(plainDiff).toBeLessThanOrEqual(TOLERANCE);
      expect(bankDiffs).toBeLessThanOrEqual(TOLERANCE);
      expect(readerDiff).toBeLessThanOrEqual(TOLERANCE);
      // The bank is really used: its effect is far above the forms' rounding differences.
      const alone = await fused.run(frames, fused.emptyBank(), [1, 0], [0.5, 0]);
      expect(maxAbsDiff(alone, b)).toBeGreaterThan(1000 * Math.max(readerDiff, 1e-7));
    },
    60_000,
  );

  it('the plain diffusers UNet and the fused ControlNet-aware UNet with zero residuals agree too', async () => {
    const diffusers = await ReferenceUnet.open(tinyRealUnet('diffusers-onnx'), provider);
    try {
      const fused = unets.get('olive_old for DirectML (packed QKV/KV, GroupNorm)')!;
      const zero = tinyRealUnetFeeds([...plain.inputNames], [4], 0);
      const own = tinyRealUnetFeeds(['sample', 'timestep', 'encoder_hidden_states'], [4]);
      const a = await diffusers.writeBank(own);
      const b = await fused.writeBank(zero);
      expect(maxAbsDiff(a.outSample, b.outSample)).toBeLessThanOrEqual(TOLERANCE);
      expect(bankDiff(a.bank, b.bank)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      await diffusers.dispose();
    }
  });
});

describe('style fidelity', () => {
  it('1 gives the plain UNet, 0 the reference attention, per batch item; in between differs from both', async () => {
    const u = unets.get('cpu_mha (Attention)')!;
    const { bank } = await u.writeBank(feeds([3]));
    const frames = feeds([5, 6]);
    const plainOut = await u.run(frames, u.emptyBank());
    const reference = await u.run(frames, bank);
    const item = (t: ort.Tensor, i: number) =>
      new ort.Tensor(
        'float32',
        (t.data as Float32Array).slice(i * 256, (i + 1) * 256),
        [1, 4, 8, 8],
      );
    expect(maxAbsDiff(await u.run(frames, bank, undefined, 0), reference)).toBe(0);
    expect(maxAbsDiff(await u.run(frames, bank, undefined, 1), plainOut)).toBeLessThan(1e-5);
    const mixed = await u.run(frames, bank, undefined, [1, 0]);
    expect(maxAbsDiff(item(mixed, 0), item(plainOut, 0))).toBeLessThan(1e-5);
    expect(maxAbsDiff(item(mixed, 1), item(reference, 1))).toBe(0);
    const half = await u.run(frames, bank, undefined, 0.5);
    const gap = maxAbsDiff(plainOut, reference);
    expect(maxAbsDiff(half, plainOut)).toBeGreaterThan(0.1 * gap);
    expect(maxAbsDiff(half, reference)).toBeGreaterThan(0.1 * gap);
  });

  it('refuses values outside 0…1, NaN and a wrong count', async () => {
    const u = unfused();
    const frames = feeds([5, 6]);
    for (const bad of [Number.NaN, -0.1, 1.5, 1e308, [0, 0, 0], []])
      await expect(u.run(frames, u.emptyBank(), undefined, bad)).rejects.toThrow(RangeError);
  });
});
