import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';
import { findSelfAttentionBlocks, type SelfAttentionBlock } from './selfAttentionBlocks';

/** One self-attention block's entry in the reference bank (writer outputs = reader inputs). */
export interface BankSlot {
  block: string;
  keyName: string;
  valueName: string;
  channels: number | null;
  elemType: number;
}

export interface DerivedUnet {
  /** The derived model, to load with the original UNet folder as external-data folder. */
  bytes: Uint8Array;
  slots: BankSlot[];
}

export function bankSlot(b: SelfAttentionBlock): BankSlot {
  return {
    block: b.block,
    keyName: `${b.block}.bank_key`,
    valueName: `${b.block}.bank_value`,
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

/**
 * Bank writer: the same UNet with every self-attention block's K and V as extra outputs. Run it
 * once on the reference (its latent at the reference timestep) to fill the bank.
 */
export function deriveBankWriter(modelBytes: Uint8Array, what?: string): DerivedUnet {
  const model = onnxProto.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const blocks = findSelfAttentionBlocks(graph, what);
  const slots = blocks.map(bankSlot);
  blocks.forEach((b, i) => {
    const s = slots[i]!;
    const dims = ['batch', `${s.block}.tokens`, s.channels ?? `${s.block}.channels`];
    // Identity nodes give the outputs their bank names without renaming tensors inside the graph.
    graph.node!.push(
      {
        name: `/bank_writer/${s.block}/key`,
        opType: 'Identity',
        input: [b.key],
        output: [s.keyName],
      },
      {
        name: `/bank_writer/${s.block}/value`,
        opType: 'Identity',
        input: [b.value],
        output: [s.valueName],
      },
    );
    graph.output!.push(
      tensorInfo(s.keyName, s.elemType, dims),
      tensorInfo(s.valueName, s.elemType, dims),
    );
  });
  return { bytes: onnxProto.ModelProto.encode(model).finish(), slots };
}

/**
 * Bank reader: every self-attention block attends to its own keys/values followed by the bank's
 * (concatenated along the token axis). Bank inputs are [1 or batch, reference tokens, channels];
 * a batch of 1 is broadcast to the whole batch, so one reference serves every frame. With zero
 * reference tokens the reader computes exactly what the original UNet does.
 */
export interface BankReaderOptions {
  /**
   * Cross-frame attention inside a batch: inputs `cross_frame_source` (int64 [batch], for each
   * item the batch item whose K/V it also attends to) and `cross_frame_tokens` (int64 [1], how
   * many of that item's tokens to append: 0 turns it off at no cost, a large number takes all).
   * This is how frames of one window see each other with an image UNet (Text2Video-Zero style).
   */
  crossFrame?: boolean;
}

export const CROSS_FRAME_SOURCE = 'cross_frame_source';
export const CROSS_FRAME_TOKENS = 'cross_frame_tokens';

export function deriveBankReader(
  modelBytes: Uint8Array,
  what?: string,
  options: BankReaderOptions = {},
): DerivedUnet {
  const model = onnxProto.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const blocks = findSelfAttentionBlocks(graph, what);
  const slots = blocks.map(bankSlot);
  const oneOne = `/bank_reader/ones`;
  graph.initializer!.push({
    name: oneOne,
    dims: [2],
    dataType: onnxProto.TensorProto.DataType.INT64,
    rawData: new Uint8Array(new BigInt64Array([1n, 1n]).buffer),
  });
  const zero = '/bank_reader/zero';
  const one = '/bank_reader/one';
  for (const [name, v] of [
    [zero, 0n],
    [one, 1n],
  ] as const)
    graph.initializer!.push({
      name,
      dims: [1],
      dataType: onnxProto.TensorProto.DataType.INT64,
      rawData: new Uint8Array(new BigInt64Array([v]).buffer),
    });

  if (options.crossFrame)
    graph.input!.push(
      tensorInfo(CROSS_FRAME_SOURCE, onnxProto.TensorProto.DataType.INT64, ['batch']),
      tensorInfo(CROSS_FRAME_TOKENS, onnxProto.TensorProto.DataType.INT64, [1]),
    );

  blocks.forEach((b, i) => {
    const s = slots[i]!;
    const dims = ['bank_batch', 'bank_tokens', s.channels ?? `${s.block}.channels`];
    graph.input!.push(
      tensorInfo(s.keyName, s.elemType, dims),
      tensorInfo(s.valueName, s.elemType, dims),
    );
    const p = `/bank_reader/${s.block}`;
    // Target batch size from K: Shape(K)[0:1] ++ [1, 1] → Expand(bank) → [batch, ref tokens, C].
    const added: onnx.INodeProto[] = [
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
        input: [`${p}/Slice_output_0`, oneOne],
        output: [`${p}/broadcast_shape`],
        attribute: [{ name: 'axis', type: onnxProto.AttributeProto.AttributeType.INT, i: 0 }],
      },
    ];
    for (const [kind, own, bank, users] of [
      ['key', b.key, s.keyName, b.keyConsumers],
      ['value', b.value, s.valueName, b.valueConsumers],
    ] as const) {
      const widened = `${p}/${kind}_with_bank`;
      const parts = [own, `${p}/${kind}_bank`];
      added.push({
        name: `${p}/Expand_${kind}`,
        opType: 'Expand',
        input: [bank, `${p}/broadcast_shape`],
        output: [`${p}/${kind}_bank`],
      });
      if (options.crossFrame) {
        // Another batch item's own K/V (Gather on the batch axis), cut to cross_frame_tokens.
        added.push(
          {
            name: `${p}/Gather_${kind}`,
            opType: 'Gather',
            input: [own, CROSS_FRAME_SOURCE],
            output: [`${p}/${kind}_other`],
            attribute: [{ name: 'axis', type: onnxProto.AttributeProto.AttributeType.INT, i: 0 }],
          },
          {
            name: `${p}/Slice_${kind}`,
            opType: 'Slice',
            input: [`${p}/${kind}_other`, zero, CROSS_FRAME_TOKENS, one],
            output: [`${p}/${kind}_cross`],
          },
        );
        parts.push(`${p}/${kind}_cross`);
      }
      added.push({
        name: `${p}/Concat_${kind}`,
        opType: 'Concat',
        input: parts,
        output: [widened],
        attribute: [{ name: 'axis', type: onnxProto.AttributeProto.AttributeType.INT, i: 1 }],
      });
      for (const user of users) user.input = user.input!.map((x) => (x === own ? widened : x));
    }
    // Keep the graph topologically sorted: insert after whichever of K and V is produced last.
    const producers = graph.node!.map((n, idx) =>
      (n.output ?? []).some((o) => o === b.key || o === b.value) ? idx : -1,
    );
    const at = Math.max(...producers) + 1;
    graph.node!.splice(at, 0, ...added);
  });
  return { bytes: onnxProto.ModelProto.encode(model).finish(), slots };
}
