import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import {
  tinyDownResiduals,
  tinyMidResidual,
} from '#native-models/diffusion/tinyPack/tinyPackConfig';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { joinBanks, ReferenceUnet } from '#main/engine/diffusion/surgery/referenceUnet';

let root: string;
const provider = new LocalSessionProvider();
const opened: ReferenceUnet[] = [];
let plain: ort.InferenceSession;
let ref: ReferenceUnet;
let fusedPlain: ort.InferenceSession;
let fusedRef: ReferenceUnet;
let tiledRef: ReferenceUnet;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ref-attn-'));
  const pack = await buildTinyPack(join(root, 'pack'));
  plain = await ort.InferenceSession.create(join(pack, 'unet/model.onnx'));
  // Untiled, so the surgery alone is checked bit for bit; the product's tiled form beside it.
  ref = await ReferenceUnet.open(join(pack, 'unet/model.onnx'), provider, { tiled: false });
  tiledRef = await ReferenceUnet.open(join(pack, 'unet/model.onnx'), provider);
  const fused = await buildTinyPack(join(root, 'fused'), {
    unet: { fusedSelfAttention: true, controlnetResiduals: false },
    withoutControlnet: true,
  });
  fusedPlain = await ort.InferenceSession.create(join(fused, 'unet/model.onnx'));
  fusedRef = await ReferenceUnet.open(join(fused, 'unet/model.onnx'), provider);
  opened.push(ref, fusedRef, tiledRef);
});
afterAll(async () => {
  for (const r of opened) await r.dispose();
  await plain?.release();
  await fusedPlain?.release();
  rmSync(root, { recursive: true, force: true });
});

/** UNet inputs for one frame (seeded), batch `frames.length`. */
function feeds(frames: number[], withResiduals = true): Record<string, ort.Tensor> {
  const b = frames.length;
  const stack = (size: number, make: (f: number) => Float32Array) => {
    const data = new Float32Array(b * size);
    frames.forEach((f, i) => data.set(make(f), i * size));
    return data;
  };
  const out: Record<string, ort.Tensor> = {
    sample: new ort.Tensor(
      'float32',
      stack(256, (f) => frameNoise(1, f, 256)),
      [b, 4, 8, 8],
    ),
    timestep: new ort.Tensor('float32', new Float32Array(b).fill(601), [b]),
    encoder_hidden_states: new ort.Tensor(
      'float32',
      stack(77 * 16, () => frameNoise(2, 0, 77 * 16, 0.5)),
      [b, 77, 16],
    ),
  };
  if (withResiduals) {
    tinyDownResiduals.forEach((r, i) => {
      const n = r.channels * r.size * r.size;
      out[`down_block_additional_residual_${i}`] = new ort.Tensor(
        'float32',
        stack(n, (f) => frameNoise(10 + i, f, n, 0.1)),
        [b, r.channels, r.size, r.size],
      );
    });
    const m = tinyMidResidual;
    out['mid_block_additional_residual'] = new ort.Tensor(
      'float32',
      stack(m.channels * 16, (f) => frameNoise(20, f, m.channels * 16, 0.1)),
      [b, m.channels, m.size, m.size],
    );
  }
  return out;
}

async function original(
  session: ort.InferenceSession,
  f: Record<string, ort.Tensor>,
): Promise<Float32Array> {
  return (await session.run(f))['out_sample']!.data as Float32Array;
}
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('tiled attention (unfused attention as MultiHeadAttention)', () => {
  it('writes the same bank and reads it to the same output, within float rounding', async () => {
    expect(tiledRef.changes).toEqual([
      'self-attention: unfused MatMul/Softmax, tiled into MultiHeadAttention',
    ]);
    const reference = feeds([3]);
    const a = await ref.writeBank(reference);
    const b = await tiledRef.writeBank(reference);
    const out = (t: ort.Tensor) => t.data as Float32Array;
    expect(maxAbsDiff(out(a.outSample), out(b.outSample))).toBeLessThan(1e-5);
    for (const [name, t] of a.bank.tensors)
      expect(maxAbsDiff(out(t), out(b.bank.tensors.get(name)!))).toBeLessThan(1e-5);
    const frames = feeds([5, 6]);
    const readA = out(await ref.run(frames, a.bank));
    const readB = out(await tiledRef.run(frames, b.bank));
    expect(maxAbsDiff(readA, readB)).toBeLessThan(1e-5);
    // The bank matters far more than the rounding: without it the output moves.
    const alone = out(await tiledRef.run(frames, tiledRef.emptyBank()));
    expect(maxAbsDiff(alone, readB)).toBeGreaterThan(1e-3);
  });
});

describe.each([
  ['unfused diffusers attention', () => ({ plain, ref, residuals: true })],
  ['ORT MultiHeadAttention', () => ({ plain: fusedPlain, ref: fusedRef, residuals: false })],
])('reference attention on %s', (_, get) => {
  it('finds the four self-attention blocks', () => {
    expect(get().ref.slots.map((s) => s.block)).toEqual([
      'down_blocks.0.attentions.0.transformer_blocks.0.attn1',
      'mid_block.attentions.0.transformer_blocks.0.attn1',
      'up_blocks.1.attentions.0.transformer_blocks.0.attn1',
      'up_blocks.1.attentions.1.transformer_blocks.0.attn1',
    ]);
  });

  it('the writer only adds outputs: its out_sample is bit-identical to the UNet', async () => {
    const { plain, ref, residuals } = get();
    const f = feeds([3], residuals);
    const { bank, outSample } = await ref.writeBank(f);
    expect(Array.from(outSample.data as Float32Array)).toEqual(
      Array.from(await original(plain, f)),
    );
    expect(bank.tokens).toBe(64);
    expect(
      bank.tensors.get('mid_block.attentions.0.transformer_blocks.0.attn1.bank_key')!.dims,
    ).toEqual([1, 16, 16]);
  });

  it('the reader with an empty bank is bit-identical to the UNet', async () => {
    const { plain, ref, residuals } = get();
    const f = feeds([3, 4], residuals);
    const out = (await ref.run(f, ref.emptyBank())).data as Float32Array;
    expect(Array.from(out)).toEqual(Array.from(await original(plain, f)));
  });

  it("the reader fed a frame's own K/V reproduces that frame (to float rounding), another frame's does not", async () => {
    // Attending to [K; K] with values [V; V] gives every score twice: each softmax weight halves
    // and each value is summed twice, so the output is mathematically unchanged — and because
    // this holds in every block, the blocks downstream see unchanged inputs too. Only the order
    // and length of the float32 sums differ, hence a tolerance of float rounding, not equality.
    const { plain, ref, residuals } = get();
    const f = feeds([3], residuals);
    const expected = await original(plain, f);
    const { bank: own } = await ref.writeBank(f);
    const withOwn = (await ref.run(f, own)).data as Float32Array;
    const scale = Math.max(...expected.map(Math.abs));
    expect(maxAbsDiff(withOwn, expected)).toBeLessThan(1e-5 * scale);
    const { bank: other } = await ref.writeBank(feeds([9], residuals));
    const withOther = (await ref.run(f, other)).data as Float32Array;
    expect(maxAbsDiff(withOther, expected)).toBeGreaterThan(1e-2 * scale);
  });

  it('cross-frame attention: a frame pointed at itself is unchanged, pointed at another it changes', async () => {
    const { ref, residuals } = get();
    const f = feeds([3, 4], residuals);
    const plain = (await ref.run(f, ref.emptyBank())).data as Float32Array;
    const crossed = (await ref.run(f, ref.emptyBank(), [0, 0])).data as Float32Array;
    const scale = Math.max(...plain.map(Math.abs));
    // item 0 attends to [K0; K0]: duplicated keys, same output (to float rounding)
    expect(maxAbsDiff(crossed.subarray(0, 256), plain.subarray(0, 256))).toBeLessThan(1e-5 * scale);
    // item 1 attends to [K1; K0]: frame 0's content now flows into frame 1
    expect(maxAbsDiff(crossed.subarray(256), plain.subarray(256))).toBeGreaterThan(1e-2 * scale);
    await expect(ref.run(f, ref.emptyBank(), [0, 2])).rejects.toThrow(/batch index/);
  });

  it('a one-frame bank is shared by every frame of a batch', async () => {
    const { ref, residuals } = get();
    const { bank } = await ref.writeBank(feeds([7], residuals));
    const batch = (await ref.run(feeds([3, 4], residuals), bank)).data as Float32Array;
    const single3 = (await ref.run(feeds([3], residuals), bank)).data as Float32Array;
    const single4 = (await ref.run(feeds([4], residuals), bank)).data as Float32Array;
    expect(maxAbsDiff(batch.subarray(0, 256), single3)).toBeLessThan(1e-5);
    expect(maxAbsDiff(batch.subarray(256), single4)).toBeLessThan(1e-5);
  });
});

describe('joined banks', () => {
  it("joining a frame's own bank twice still reproduces the frame (every key now three times)", async () => {
    const f = feeds([3]);
    const expected = await original(plain, f);
    const { bank } = await ref.writeBank(f);
    const joined = joinBanks([bank, bank]);
    expect(joined.tokens).toBe(128);
    const out = (await ref.run(f, joined)).data as Float32Array;
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-5 * Math.max(...expected.map(Math.abs)));
  });

  it('joining another frame twice weighs it more than once (so banks are not deduplicated)', async () => {
    const f = feeds([3]);
    const { bank } = await ref.writeBank(feeds([7]));
    const once = (await ref.run(f, bank)).data as Float32Array;
    const twice = (await ref.run(f, joinBanks([bank, bank]))).data as Float32Array;
    expect(maxAbsDiff(once, twice)).toBeGreaterThan(1e-3);
  });
});
