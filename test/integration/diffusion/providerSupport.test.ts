import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxProto as onnx } from '#native-models/onnxProto';
import { fusedFormOf } from '#main/engine/diffusion/pack/providerSupport';
import { FUSED_FORMS } from '#main/engine/diffusion/rewrite/contribKernels';

/**
 * The CPU column of the fused-op table, verified: one node of each form, built here, must
 * create AND run on onnxruntime-node's CPU provider exactly when the table says it does
 * (packed-QKV attention creates a session and fails only when run).
 */
const B = 1;
const L = 4;
const N = 2;
const H = 4;
const D = N * H;

interface Case {
  op: string;
  /** Float inputs unless `int32` (the packed forms' token offsets). */
  inputs: { name: string; dims: number[]; int32?: boolean }[];
  attrs?: Record<string, number>;
  /** Empty strings leave an optional input out (MultiHeadAttention's value for packed KV). */
  nodeInputs?: string[];
}

const cases: Record<string, Case> = {
  Attention: {
    op: 'Attention',
    inputs: [
      { name: 'x', dims: [B, L, D] },
      { name: 'w', dims: [D, 3 * D] },
      { name: 'b', dims: [3 * D] },
    ],
    attrs: { num_heads: N },
  },
  'MultiHeadAttention/separate': {
    op: 'MultiHeadAttention',
    inputs: [
      { name: 'q', dims: [B, L, D] },
      { name: 'k', dims: [B, L, D] },
      { name: 'v', dims: [B, L, D] },
    ],
    attrs: { num_heads: N },
  },
  'MultiHeadAttention/packed-kv': {
    op: 'MultiHeadAttention',
    inputs: [
      { name: 'q', dims: [B, L, D] },
      { name: 'kv', dims: [B, L, N, 2, H] },
    ],
    attrs: { num_heads: N },
  },
  'MultiHeadAttention/packed-qkv': {
    op: 'MultiHeadAttention',
    inputs: [{ name: 'qkv', dims: [B, L, N, 3, H] }],
    attrs: { num_heads: N },
  },
  PackedAttention: {
    op: 'PackedAttention',
    inputs: [
      { name: 'x', dims: [B * L, D] },
      { name: 'w', dims: [D, 3 * D] },
      { name: 'b', dims: [3 * D] },
      { name: 'offsets', dims: [B, L], int32: true },
      { name: 'lengths', dims: [B + 1], int32: true },
    ],
    attrs: { num_heads: N },
  },
  PackedMultiHeadAttention: {
    op: 'PackedMultiHeadAttention',
    inputs: [
      { name: 'q', dims: [B * L, D] },
      { name: 'k', dims: [B * L, D] },
      { name: 'v', dims: [B * L, D] },
      { name: 'bias', dims: [3 * D] },
      { name: 'offsets', dims: [B, L], int32: true },
      { name: 'lengths', dims: [B + 1], int32: true },
    ],
    attrs: { num_heads: N },
  },
  GroupNorm: {
    op: 'GroupNorm',
    inputs: [
      { name: 'x', dims: [B, 4, 4, D] },
      { name: 'gamma', dims: [D] },
      { name: 'beta', dims: [D] },
    ],
    attrs: { groups: 2, activation: 0 },
  },
  SkipGroupNorm: {
    op: 'SkipGroupNorm',
    inputs: [
      { name: 'x', dims: [B, 4, 4, D] },
      { name: 'gamma', dims: [D] },
      { name: 'beta', dims: [D] },
      { name: 'skip', dims: [B, 4, 4, D] },
    ],
    attrs: { groups: 2, activation: 0 },
  },
  NhwcConv: {
    op: 'NhwcConv',
    inputs: [
      { name: 'x', dims: [B, 4, 4, D] },
      { name: 'w', dims: [D, D, 1, 1] },
    ],
  },
  BiasSplitGelu: {
    op: 'BiasSplitGelu',
    inputs: [
      { name: 'x', dims: [B, L, 2 * D] },
      { name: 'b', dims: [2 * D] },
    ],
  },
  BiasAdd: {
    op: 'BiasAdd',
    inputs: [
      { name: 'x', dims: [B, L, 320] },
      { name: 'b', dims: [320] },
      { name: 'skip', dims: [B, L, 320] },
    ],
  },
  Gelu: { op: 'Gelu', inputs: [{ name: 'x', dims: [B, L, D] }] },
  FastGelu: { op: 'FastGelu', inputs: [{ name: 'x', dims: [B, L, D] }] },
  BiasGelu: {
    op: 'BiasGelu',
    inputs: [
      { name: 'x', dims: [B, L, D] },
      { name: 'b', dims: [D] },
    ],
  },
  QuickGelu: { op: 'QuickGelu', inputs: [{ name: 'x', dims: [B, L, D] }] },
  SkipLayerNormalization: {
    op: 'SkipLayerNormalization',
    inputs: [
      { name: 'x', dims: [B, L, D] },
      { name: 'skip', dims: [B, L, D] },
      { name: 'gamma', dims: [D] },
      { name: 'beta', dims: [D] },
    ],
  },
};

function oneNodeModel(c: Case): Uint8Array {
  const vi = (name: string, dims: number[], int32?: boolean) => ({
    name,
    type: {
      tensorType: { elemType: int32 ? 6 : 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    graph: {
      name: c.op,
      node: [
        {
          opType: c.op,
          domain: 'com.microsoft',
          name: c.op,
          input: c.inputs.map((i) => i.name),
          output: ['y'],
          attribute: Object.entries(c.attrs ?? {}).map(([name, i]) => ({ name, type: 2, i })),
        },
      ],
      input: c.inputs.map((i) => vi(i.name, i.dims, i.int32)),
      output: [{ name: 'y' }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** null when the node ran; else ORT's message (session creation or run). */
async function cpuFailure(c: Case): Promise<string | null> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(oneNodeModel(c), { executionProviders: ['cpu'] });
  } catch (e) {
    return (e as Error).message;
  }
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const i of c.inputs) {
      const n = i.dims.reduce((a, b) => a * b, 1);
      feeds[i.name] = i.int32
        ? new ort.Tensor(
            'int32',
            Int32Array.from({ length: n }, (_, k) => k),
            i.dims,
          )
        : new ort.Tensor(
            'float32',
            Float32Array.from({ length: n }, (_, k) => Math.sin(k) * 0.5),
            i.dims,
          );
    }
    await session.run(feeds);
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await session.release();
  }
}

describe('fused-op table: the CPU column is what the CPU provider really runs', () => {
  for (const form of FUSED_FORMS)
    it(`${form.label}: ${form.cpu ? 'runs' : 'does not run'} on CPU`, async () => {
      const c = cases[form.key];
      expect(c, `a one-node case for ${form.key}`).toBeDefined();
      const failure = await cpuFailure(c!);
      if (form.cpu) expect(failure).toBeNull();
      // Missing kernel, not a badly built test node: ORT must say so.
      else expect(failure).toMatch(/Could not find an implementation|not implemented for CPU/);
    });

  it('tells MultiHeadAttention forms apart by which inputs are present', () => {
    const node = (inputs: string[]) => ({
      opType: 'MultiHeadAttention',
      domain: 'com.microsoft',
      name: 'm',
      inputs,
    });
    expect(fusedFormOf(node(['qkv']))).toBe('MultiHeadAttention/packed-qkv');
    expect(fusedFormOf(node(['q', 'kv']))).toBe('MultiHeadAttention/packed-kv');
    expect(fusedFormOf(node(['q', 'kv', '', 'bias']))).toBe('MultiHeadAttention/packed-kv');
    expect(fusedFormOf(node(['q', 'k', 'v', 'bias']))).toBe('MultiHeadAttention/separate');
    expect(fusedFormOf({ opType: 'Conv', domain: '', name: 'c', inputs: ['x'] })).toBeNull();
  });
});
