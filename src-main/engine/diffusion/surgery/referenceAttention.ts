import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';
import { DataType, int64Const, intAttribute } from '#main/engine/diffusion/rewrite/graphEdit';
import { findSelfAttentionBlocks, type SelfAttentionBlock } from './selfAttentionBlocks';
import { styleFidelityBlend, styleFidelityInputs } from './styleFidelity';

/**
 * One self-attention block's entry in the reference bank: the reference UNet writes it as the
 * outputs `written*` and reads it back as the inputs `keyName` / `valueName`.
 */
export interface BankSlot {
  block: string;
  keyName: string;
  valueName: string;
  /** Outputs carrying this call's own K and V (what a reference pass stores in the bank). */
  writtenKey: string;
  writtenValue: string;
  channels: number | null;
  elemType: number;
}

export interface DerivedUnet {
  /** The derived model, to load with the original UNet folder as external-data folder. */
  bytes: Uint8Array;
  slots: BankSlot[];
  /** The attention form found per block (reports, docs). */
  forms: string[];
}

export function bankSlot(b: SelfAttentionBlock): BankSlot {
  return {
    block: b.block,
    keyName: `${b.block}.bank_key`,
    valueName: `${b.block}.bank_value`,
    writtenKey: `${b.block}.key`,
    writtenValue: `${b.block}.value`,
    channels: b.channels,
    elemType: b.elemType,
  };
}

function tensorInfo(
  name: string,
  elemType: number,
  dims: (number | string)[],
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** Inputs of cross-frame attention inside a batch (see ReferenceUnetOptions.crossFrame). */
export const CROSS_FRAME_SOURCE = 'cross_frame_source';
export const CROSS_FRAME_TOKENS = 'cross_frame_tokens';
/** How many of its own tokens each block writes to its bank outputs: 0, or all (2^40). */
export const BANK_OUTPUT_TOKENS = 'bank_output_tokens';

/**
 * The reference UNet: the pack's UNet with, for every self-attention block,
 *
 * - outputs `<block>.key` / `<block>.value`: this call's own K and V ([batch, tokens, channels],
 *   after to_k / to_v), cut to input `bank_output_tokens` (int64 [1]) tokens: all of them for a
 *   reference pass, which fills the bank from them; 0 for denoiser calls, which then keep no copy
 *   and free each block's K/V as the original UNet does.
 * - inputs `<block>.bank_key` / `<block>.bank_value` ([1 or batch, reference tokens, channels]):
 *   the block attends to its own K/V followed by the bank's (concatenated along the token axis;
 *   a bank of batch 1 is broadcast with Expand, so one reference serves every frame). With zero
 *   reference tokens the block computes exactly what the original UNet does.
 * - inputs `cross_frame_source` (int64 [batch]: the batch item whose K/V item i also attends to)
 *   and `cross_frame_tokens` (int64 [1]: how many of its tokens; 0 turns it off at no cost): how
 *   the frames of a window see each other with an image UNet (Text2Video-Zero style).
 * - input `style_fidelity` (float32, [1] or [batch]): per item, the block's result is
 *   plain self-attention × s + reference attention × (1 − s), as diffusers' reference-only
 *   pipeline does for its unconditional half; 0 everywhere skips the plain branch entirely.
 *
 * One graph, one session, one copy of the weights: writer, reader and plain UNet are this model
 * called with different feeds (the plain UNet is the empty bank, s = 0, 0 cross-frame tokens).
 */
export function deriveReferenceUnet(
  modelOrBytes: Uint8Array | onnx.IModelProto,
  what?: string,
  options: { tiled?: boolean } = {},
): DerivedUnet {
  const model =
    modelOrBytes instanceof Uint8Array ? onnxProto.ModelProto.decode(modelOrBytes) : modelOrBytes;
  const graph = model.graph!;
  const blocks = findSelfAttentionBlocks(graph, what, { tiled: options.tiled });
  if (
    blocks.some((b) => b.form === 'multi-head-attention') &&
    !(model.opsetImport ?? []).some((o) => o.domain === 'com.microsoft')
  )
    (model.opsetImport ??= []).push({ domain: 'com.microsoft', version: 1 });
  const slots = blocks.map(bankSlot);
  const ones = int64Const(graph, '/bank_reader/ones', [1, 1]);
  const zero = int64Const(graph, '/bank_reader/zero', [0]);
  const one = int64Const(graph, '/bank_reader/one', [1]);

  graph.input!.push(
    tensorInfo(CROSS_FRAME_SOURCE, DataType.INT64, ['batch']),
    tensorInfo(CROSS_FRAME_TOKENS, DataType.INT64, [1]),
    tensorInfo(BANK_OUTPUT_TOKENS, DataType.INT64, [1]),
  );
  const fidelity = styleFidelityInputs(graph, [...new Set(blocks.map((b) => b.elemType))]);

  blocks.forEach((b, i) => {
    const s = slots[i]!;
    const channels = s.channels ?? `${s.block}.channels`;
    graph.output!.push(
      tensorInfo(s.writtenKey, s.elemType, ['batch', `${s.block}.tokens`, channels]),
      tensorInfo(s.writtenValue, s.elemType, ['batch', `${s.block}.tokens`, channels]),
    );
    graph.input!.push(
      tensorInfo(s.keyName, s.elemType, ['bank_batch', 'bank_tokens', channels]),
      tensorInfo(s.valueName, s.elemType, ['bank_batch', 'bank_tokens', channels]),
    );
    // The plain branch is cloned before K/V are widened, so it reads the block's own K/V.
    const blend = styleFidelityBlend(b, fidelity);
    const p = `/bank_reader/${s.block}`;
    // Target batch size from K: Shape(K)[0:1] ++ [1, 1] → Expand(bank) → [batch, ref tokens, C].
    const added: onnx.INodeProto[] = [
      // Slices, not Identities: with 0 tokens asked the outputs are empty and K/V are freed after
      // the block as in the original UNet (outputs aliasing K/V would keep every block's K/V
      // alive through the whole call: gigabytes at SD1.5 sizes and large batches).
      {
        name: `/bank_writer/${s.block}/key`,
        opType: 'Slice',
        input: [b.key, zero, BANK_OUTPUT_TOKENS, one],
        output: [s.writtenKey],
      },
      {
        name: `/bank_writer/${s.block}/value`,
        opType: 'Slice',
        input: [b.value, zero, BANK_OUTPUT_TOKENS, one],
        output: [s.writtenValue],
      },
      { name: `${p}/Shape`, opType: 'Shape', input: [b.key], output: [`${p}/Shape_output_0`] },
      {
        name: `${p}/Slice`,
        opType: 'Slice',
        input: [`${p}/Shape_output_0`, zero, one],
        output: [`${p}/Slice_output_0`],
      },
      {
        name: `${p}/Concat_shape`,
        opType: 'Concat',
        input: [`${p}/Slice_output_0`, ones],
        output: [`${p}/broadcast_shape`],
        attribute: [intAttribute('axis', 0)],
      },
    ];
    for (const [kind, own, bank, users] of [
      ['key', b.key, s.keyName, b.keyConsumers],
      ['value', b.value, s.valueName, b.valueConsumers],
    ] as const) {
      const widened = `${p}/${kind}_with_bank`;
      added.push(
        {
          name: `${p}/Expand_${kind}`,
          opType: 'Expand',
          input: [bank, `${p}/broadcast_shape`],
          output: [`${p}/${kind}_bank`],
        },
        // Another batch item's own K/V (Gather on the batch axis), cut to cross_frame_tokens.
        {
          name: `${p}/Gather_${kind}`,
          opType: 'Gather',
          input: [own, CROSS_FRAME_SOURCE],
          output: [`${p}/${kind}_other`],
          attribute: [intAttribute('axis', 0)],
        },
        {
          name: `${p}/Slice_${kind}`,
          opType: 'Slice',
          input: [`${p}/${kind}_other`, zero, CROSS_FRAME_TOKENS, one],
          output: [`${p}/${kind}_cross`],
        },
        {
          name: `${p}/Concat_${kind}`,
          opType: 'Concat',
          input: [own, `${p}/${kind}_bank`, `${p}/${kind}_cross`],
          output: [widened],
          attribute: [intAttribute('axis', 1)],
        },
      );
      for (const user of users) user.input = user.input!.map((x) => (x === own ? widened : x));
    }
    // Keep the graph topologically sorted: insert after whichever of K and V is produced last.
    const producers = graph.node!.map((n, idx) =>
      (n.output ?? []).some((o) => o === b.key || o === b.value) ? idx : -1,
    );
    graph.node!.splice(Math.max(...producers) + 1, 0, ...added);
    blend.insert(graph);
  });
  return {
    bytes: onnxProto.ModelProto.encode(model).finish(),
    slots,
    forms: blocks.map((b) => b.foundAs),
  };
}
