import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { GraphBuilder } from '#native-models/diffusion/tinyPack/graphBuilder';
import { fromFloat16, toFloat16 } from '#shared/diffusion/latents/float16';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import {
  rewriteForProvider,
  rewriteModelBytes,
} from '#main/engine/diffusion/rewrite/rewriteForProvider';
import { maxAbsDiff, SD15_TINY_REAL } from '#test/helpers/diffusion/sd15TinyReal';

/**
 * DirectML/CUDA-fused graphs on the CPU provider: each contrib op is rewritten to standard ops
 * and checked against an independent computation (a JS reference, or the op it was fused from);
 * the fixture's DirectML-fused ControlNet and UNet run on CPU after the rewrite and agree with
 * the unfused export.
 */
const MS = 'com.microsoft';
const encode = (m: onnx.IModelProto) => onnxProto.ModelProto.encode(m).finish();

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, externalDir?: string) {
  const session = await ort.InferenceSession.create(bytes, {
    ...(externalDir
      ? { extra: { session: { model_external_initializers_file_folder_path: externalDir } } }
      : {}),
  });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function forCpu(model: onnx.IModelProto): { bytes: Uint8Array; changes: string[] } {
  const r = rewriteForProvider(model, 'cpu');
  if ('refused' in r) throw new Error(r.refused);
  return { bytes: encode(r.model), changes: r.changes };
}

const random = (n: number, seed: number) => new SeededRandom(seed).normals(n, 1);

describe('GroupNorm → standard ops', () => {
  const [n, c, h, w, groups] = [2, 8, 3, 3, 4];
  const gamma = Array.from({ length: c }, (_, i) => 1 + 0.1 * i);
  const beta = Array.from({ length: c }, (_, i) => 0.05 * i - 0.2);

  /** GroupNorm on NCHW data in plain JS (the definition), then SiLU when asked. */
  function reference(x: Float32Array, silu: boolean): Float32Array {
    const out = new Float32Array(x.length);
    const per = (c / groups) * h * w;
    for (let b = 0; b < n; b++)
      for (let g = 0; g < groups; g++) {
        const at = (b * c + g * (c / groups)) * h * w;
        let mean = 0;
        for (let i = 0; i < per; i++) mean += x[at + i]!;
        mean /= per;
        let v = 0;
        for (let i = 0; i < per; i++) v += (x[at + i]! - mean) ** 2;
        const inv = 1 / Math.sqrt(v / per + 1e-5);
        for (let i = 0; i < per; i++) {
          const ch = g * (c / groups) + Math.floor(i / (h * w));
          const y = (x[at + i]! - mean) * inv * gamma[ch]! + beta[ch]!;
          out[at + i] = silu ? y / (1 + Math.exp(-y)) : y;
        }
      }
    return out;
  }
  const toNhwc = (x: Float32Array) => {
    const out = new Float32Array(x.length);
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++)
        for (let p = 0; p < h * w; p++)
          out[(b * h * w + p) * c + ch] = x[(b * c + ch) * h * w + p]!;
    return out;
  };

  it.each([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ])('channels_last %i, activation %i: equals the definition', async (channelsLast, activation) => {
    const g = new GraphBuilder(new SeededRandom(1));
    const dims = channelsLast ? [n, h, w, c] : [n, c, h, w];
    const x = g.input('x', 'float32', dims);
    const [y] = g.node(
      'GroupNorm',
      'GroupNorm_0',
      [x, g.floatTensor('gamma', [c], gamma), g.floatTensor('beta', [c], beta)],
      { groups, epsilon: { float: 1e-5 }, activation, channels_last: channelsLast },
      1,
      MS,
    );
    g.output(y!, 'float32', dims);
    const model = g.toModel('groupnorm', 17, [MS]);
    await expect(ort.InferenceSession.create(encode(model))).rejects.toThrow(/GroupNorm/);
    const { bytes, changes } = forCpu(model);
    expect(changes).toEqual([expect.stringMatching(/^GroupNorm GroupNorm_0 → /)]);
    const data = random(n * c * h * w, 7);
    const input = channelsLast ? toNhwc(data) : data;
    const out = await run(bytes, { x: new ort.Tensor('float32', input, dims) });
    const want = reference(data, activation === 1);
    const got = out[y!]!.data as Float32Array;
    const wanted = channelsLast ? toNhwc(want) : want;
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - wanted[i]!));
    expect(diff).toBeLessThan(1e-5);
  });

  it('refuses, with the node named, a GroupNorm without groups instead of guessing', () => {
    const g = new GraphBuilder(new SeededRandom(1));
    const x = g.input('x', 'float32', [1, 8, 2, 2]);
    const [y] = g.node(
      'GroupNorm',
      'GroupNorm_bad',
      [x, g.weight('gm', [8]), g.weight('bt', [8])],
      {},
      1,
      MS,
    );
    g.output(y!, 'float32', [1, 8, 2, 2]);
    const r = rewriteForProvider(g.toModel('bad', 17, [MS]), 'cpu', 'unet/model.onnx');
    expect(r).toEqual({ refused: expect.stringMatching(/unet\/model.onnx .*GroupNorm_bad/) });
  });
});

describe('NhwcConv, BiasAdd, BiasSplitGelu → standard ops', () => {
  it('NhwcConv (weight as ORT stores it, OHWI) equals the Conv it was fused from', async () => {
    const [m, ci, k] = [6, 4, 3];
    const weight = random(m * ci * k * k, 3);
    const bias = random(m, 4);
    const attrs = { pads: [1, 1, 1, 1], strides: [2, 2] };
    const plain = new GraphBuilder(new SeededRandom(1));
    const px = plain.input('x', 'float32', [1, ci, 5, 5]);
    const py = plain.op(
      'Conv',
      'Conv_0',
      [px, plain.floatTensor('w', [m, ci, k, k], weight), plain.floatTensor('b', [m], bias)],
      attrs,
    );
    plain.output(py, 'float32', [1, m, 3, 3]);

    const ohwi = new Float32Array(weight.length);
    for (let o = 0; o < m; o++)
      for (let i = 0; i < ci; i++)
        for (let p = 0; p < k * k; p++)
          ohwi[(o * k * k + p) * ci + i] = weight[(o * ci + i) * k * k + p]!;
    const fused = new GraphBuilder(new SeededRandom(1));
    const fx = fused.input('x', 'float32', [1, ci, 5, 5]);
    const nhwc = fused.op('Transpose', 'to_nhwc', [fx], { perm: [0, 2, 3, 1] });
    const [conv] = fused.node(
      'NhwcConv',
      'NhwcConv_0',
      [nhwc, fused.floatTensor('w', [m, k, k, ci], ohwi), fused.floatTensor('b', [m], bias)],
      attrs,
      1,
      MS,
    );
    const fy = fused.op('Transpose', 'to_nchw', [conv!], { perm: [0, 3, 1, 2] });
    fused.output(fy, 'float32', [1, m, 3, 3]);

    const { bytes, changes } = forCpu(fused.toModel('nhwc', 17, [MS]));
    expect(changes).toEqual(['NhwcConv NhwcConv_0 → Transpose/Conv/Transpose']);
    const x = new ort.Tensor('float32', random(ci * 25, 5), [1, ci, 5, 5]);
    const want = (await run(encode(plain.toModel('conv')), { x }))[py]!;
    const got = (await run(bytes, { x }))[fy]!;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('BiasAdd and BiasSplitGelu equal their definitions (exact erf Gelu)', async () => {
    const g = new GraphBuilder(new SeededRandom(1));
    const x = g.input('x', 'float32', [2, 3, 8]);
    const skip = g.input('skip', 'float32', [2, 3, 8]);
    const bias = random(8, 9);
    const b = g.floatTensor('bias', [8], bias);
    const [added] = g.node('BiasAdd', 'BiasAdd_0', [x, b, skip], {}, 1, MS);
    const [gelu] = g.node('BiasSplitGelu', 'BiasSplitGelu_0', [added!, b], {}, 1, MS);
    g.output(gelu!, 'float32', [2, 3, 4]);
    const { bytes, changes } = forCpu(g.toModel('bias', 17, [MS]));
    expect(changes).toHaveLength(2);
    const xs = random(48, 10);
    const ss = random(48, 11);
    const got = (
      await run(bytes, {
        x: new ort.Tensor('float32', xs, [2, 3, 8]),
        skip: new ort.Tensor('float32', ss, [2, 3, 8]),
      })
    )[gelu!]!.data as Float32Array;
    let diff = 0;
    for (let row = 0; row < 6; row++)
      for (let j = 0; j < 4; j++) {
        const v = (i: number) => xs[row * 8 + i]! + bias[i]! + ss[row * 8 + i]! + bias[i]!;
        const r = v(j + 4);
        const want = v(j) * 0.5 * r * (1 + erf(r / Math.SQRT2));
        diff = Math.max(diff, Math.abs(got[row * 4 + j]! - want));
      }
    expect(diff).toBeLessThan(1e-5);
  });

  it('refuses a contrib op it cannot rewrite, saying why and what to do, before any session', () => {
    const g = new GraphBuilder(new SeededRandom(1));
    const x = g.input('x', 'float32', [1, 8, 2, 2]);
    const [y] = g.node(
      'SkipGroupNorm',
      'SkipGroupNorm_0',
      [x, g.weight('a', [8]), g.weight('b', [8]), x],
      { groups: 4 },
      1,
      MS,
    );
    g.output(y!, 'float32', [1, 8, 2, 2]);
    const r = rewriteForProvider(g.toModel('skip', 17, [MS]), 'cpu', 'unet/model.onnx');
    expect(r).toEqual({
      refused: expect.stringMatching(
        /SkipGroupNorm \(node SkipGroupNorm_0\).*cpu provider cannot run.*Use a pack exported for cpu/,
      ),
    });
    // The providers that have the op get the model untouched.
    expect(rewriteForProvider(g.toModel('skip', 17, [MS]), 'cuda')).toMatchObject({ changes: [] });
  });
});

describe('a float16 body on the CPU provider', () => {
  it('is upcast to float32 inside, keeping float16 inputs and outputs', async () => {
    const F16 = onnxProto.TensorProto.DataType.FLOAT16;
    const w = random(12, 21);
    const b = random(3, 22);
    const half = (v: Float32Array) => {
      const bits = toFloat16(v);
      return new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
    };
    const io = (name: string, dims: number[]) => ({
      name,
      type: { tensorType: { elemType: F16, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    });
    const model: onnx.IModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'half',
        node: [
          { name: 'mm', opType: 'MatMul', input: ['x', 'w'], output: ['xw'] },
          { name: 'add', opType: 'Add', input: ['xw', 'b'], output: ['logits'] },
          {
            name: 'softmax',
            opType: 'Softmax',
            input: ['logits'],
            output: ['y'],
            attribute: [{ name: 'axis', type: 2, i: -1 }],
          },
        ],
        initializer: [
          { name: 'w', dims: [4, 3], dataType: F16, rawData: half(w) },
          { name: 'b', dims: [3], dataType: F16, rawData: half(b) },
        ],
        input: [io('x', [2, 4])],
        output: [io('y', [2, 3])],
      },
    };
    const { bytes, changes } = forCpu(model);
    expect(changes).toEqual([
      '2 float16 initializers read through Cast → float32',
      'float16 inputs and outputs kept; cast to and from float32 at the edges',
    ]);
    const rewritten = onnxProto.ModelProto.decode(bytes).graph!;
    expect(rewritten.initializer!.every((t) => t.name!.endsWith('/float16'))).toBe(true);
    const xs = random(8, 23);
    const out = await run(bytes, { x: new ort.Tensor('float16', toFloat16(xs), [2, 4]) });
    expect(out['y']!.type).toBe('float16');
    const got = fromFloat16(out['y']!.data as Uint16Array);
    // float32 reference from the float16-rounded weights and input.
    const [wh, bh, xh] = [w, b, xs].map((v) => fromFloat16(toFloat16(v)));
    let diff = 0;
    for (let r = 0; r < 2; r++) {
      const logits = [0, 1, 2].map(
        (j) => bh![j]! + [0, 1, 2, 3].reduce((a, k) => a + xh![r * 4 + k]! * wh![k * 3 + j]!, 0),
      );
      const e = logits.map((l) => Math.exp(l - Math.max(...logits)));
      e.forEach(
        (v, j) => (diff = Math.max(diff, Math.abs(got[r * 3 + j]! - v / (e[0]! + e[1]! + e[2]!)))),
      );
    }
    expect(diff).toBeLessThan(1e-3);
    // A GPU provider keeps the float16 body.
    expect(rewriteForProvider(onnxProto.ModelProto.decode(encode(model)), 'cuda')).toMatchObject({
      changes: [],
    });
  });
});

describe('the fixtures fused for DirectML on the CPU provider', () => {
  it('olive-fused-dml/unet: nothing to change for dml; for cpu GroupNorm and packed attention are rewritten', () => {
    const bytes = readFileSync(join(SD15_TINY_REAL, 'olive-fused-dml/unet/model.onnx'));
    const dml = rewriteModelBytes(bytes, 'DmlExecutionProvider');
    expect('bytes' in dml && dml.bytes === bytes && dml.changes.length === 0).toBe(true);
    const cpu = rewriteModelBytes(bytes, 'cpu');
    if ('refused' in cpu) throw new Error(cpu.refused);
    expect(cpu.changes).toHaveLength(61 + 32);
  });

  it('olive-fused-dml/controlnet runs on CPU after the rewrite and agrees with the unfused ControlNet (≤ 1e-3)', async () => {
    const dir = join(SD15_TINY_REAL, 'olive-fused-dml/controlnet');
    const bytes = readFileSync(join(dir, 'model.onnx'));
    await expect(ort.InferenceSession.create(join(dir, 'model.onnx'))).rejects.toThrow(/GroupNorm/);
    const cpu = rewriteModelBytes(bytes, 'cpu', 'controlnet/model.onnx');
    if ('refused' in cpu) throw new Error(cpu.refused);
    const feeds = {
      sample: new ort.Tensor('float32', random(2 * 4 * 64, 1), [2, 4, 8, 8]),
      timestep: new ort.Tensor('float32', Float32Array.from([981, 981]), [2]),
      encoder_hidden_states: new ort.Tensor(
        'float32',
        random(2 * 77 * 32, 2).map((v) => v * 0.5),
        [2, 77, 32],
      ),
      controlnet_cond: new ort.Tensor(
        'float32',
        random(2 * 3 * 64 * 64, 3).map((v) => Math.abs(v) % 1),
        [2, 3, 64, 64],
      ),
      conditioning_scale: new ort.Tensor('float32', Float32Array.from([1]), []),
    };
    const got = await run(cpu.bytes, feeds, dir);
    const unfused = join(SD15_TINY_REAL, 'controlnet-openpose-onnx/controlnet/model.onnx');
    const want = await run(readFileSync(unfused), feeds);
    let worst = 0;
    for (const name of Object.keys(want))
      worst = Math.max(worst, maxAbsDiff(got[name]!, want[name]!));
    console.log(
      `olive-fused-dml/controlnet rewritten for CPU vs unfused: max abs diff ${worst.toExponential(2)} over 13 residuals`,
    );
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    expect(worst).toBeLessThanOrEqual(1e-3);
  });
});

/** erf to 1.5e-7 (Abramowitz & Stegun 7.1.26), for the Gelu reference. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return Math.sign(x) * y;
}
