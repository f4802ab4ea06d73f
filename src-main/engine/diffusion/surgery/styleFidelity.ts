import type { onnx } from 'onnx-proto';
import {
  AttrType,
  DataType,
  floatConst,
  int64Const,
  intAttribute,
} from '#main/engine/diffusion/rewrite/graphEdit';
import type { SelfAttentionBlock } from './selfAttentionBlocks';

/**
 * Style fidelity on the reference UNet: per batch item, a self-attention block's result becomes
 * plain × s + reference × (1 − s) — "plain" attending to its own tokens only, "reference" to its
 * own, the bank's and the cross-frame tokens. diffusers' reference-only pipeline
 * (`style_fidelity`) applies s to the unconditional half of the CFG batch and 0 to the
 * conditional half; a [batch] input lets the caller do exactly that, a [1] input applies one s
 * to all. The plain branch sits in an `If` on "any s ≠ 0", so s = 0 (the default) runs the
 * reference attention alone: the same nodes and numbers as without this input.
 */
export const STYLE_FIDELITY = 'style_fidelity';

export interface StyleFidelityInputs {
  /** bool scalar: some item has s ≠ 0. */
  on: string;
  /** s reshaped to [batch or 1, 1, 1], per element type of the blocks. */
  weight: Map<number, string>;
}

export function styleFidelityInputs(
  graph: onnx.IGraphProto,
  elemTypes: number[],
): StyleFidelityInputs {
  graph.input!.push({
    name: STYLE_FIDELITY,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: [{ dimParam: 'style_fidelity_batch' }] },
      },
    },
  });
  const p = '/style_fidelity';
  const zero = floatConst(graph, `${p}/zero`, [0], [], DataType.FLOAT);
  const nodes: onnx.INodeProto[] = [
    { name: `${p}/Abs`, opType: 'Abs', input: [STYLE_FIDELITY], output: [`${p}/abs`] },
    {
      name: `${p}/ReduceMax`,
      opType: 'ReduceMax',
      input: [`${p}/abs`],
      output: [`${p}/max`],
      attribute: [intAttribute('keepdims', 0)],
    },
    { name: `${p}/Greater`, opType: 'Greater', input: [`${p}/max`, zero], output: [`${p}/on`] },
    {
      name: `${p}/Reshape`,
      opType: 'Reshape',
      input: [STYLE_FIDELITY, int64Const(graph, `${p}/per_item_shape`, [-1, 1, 1])],
      output: [`${p}/weight_1`],
    },
  ];
  const weight = new Map<number, string>([[DataType.FLOAT, `${p}/weight_1`]]);
  for (const t of elemTypes)
    if (!weight.has(t)) {
      nodes.push({
        name: `${p}/Cast_${t}`,
        opType: 'Cast',
        input: [`${p}/weight_1`],
        output: [`${p}/weight_${t}`],
        attribute: [intAttribute('to', t)],
      });
      weight.set(t, `${p}/weight_${t}`);
    }
  graph.node!.unshift(...nodes);
  return { on: `${p}/on`, weight };
}

function typed(name: string, elemType: number): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType } } };
}

/**
 * Prepares the blend for one block. Call before K/V are widened (the plain branch is a copy of
 * the block's attention nodes as they are now, reading its own K/V); `insert` then puts the `If`
 * after the attention and points the output projection at it.
 */
export function styleFidelityBlend(
  block: SelfAttentionBlock,
  inputs: StyleFidelityInputs,
): { insert(graph: onnx.IGraphProto): void } {
  const p = `/style_fidelity/${block.block}`;
  const renamed = new Map<string, string>();
  const plain: onnx.INodeProto[] = block.core.map((n) => {
    const outputs = (n.output ?? []).map((o) => {
      const r = o === '' ? o : `${o}/plain`;
      renamed.set(o, r);
      return r;
    });
    return {
      ...n,
      name: `${n.name ?? ''}/plain`,
      input: (n.input ?? []).map((i) => renamed.get(i) ?? i),
      output: outputs,
    };
  });
  const reference = block.output;
  const weight = inputs.weight.get(block.elemType)!;
  const thenBranch: onnx.IGraphProto = {
    name: `${p}/blend`,
    node: [
      ...plain,
      {
        name: `${p}/Sub`,
        opType: 'Sub',
        input: [renamed.get(reference)!, reference],
        output: [`${p}/difference`],
      },
      {
        name: `${p}/Mul`,
        opType: 'Mul',
        input: [weight, `${p}/difference`],
        output: [`${p}/weighted`],
      },
      {
        name: `${p}/Add`,
        opType: 'Add',
        input: [reference, `${p}/weighted`],
        output: [`${p}/blended`],
      },
    ],
    output: [typed(`${p}/blended`, block.elemType)],
  };
  const elseBranch: onnx.IGraphProto = {
    name: `${p}/reference_only`,
    node: [
      { name: `${p}/Identity`, opType: 'Identity', input: [reference], output: [`${p}/reference`] },
    ],
    output: [typed(`${p}/reference`, block.elemType)],
  };
  const result = `${p}/attention`;
  const ifNode: onnx.INodeProto = {
    name: `${p}/If`,
    opType: 'If',
    input: [inputs.on],
    output: [result],
    attribute: [
      { name: 'then_branch', type: AttrType.GRAPH, g: thenBranch },
      { name: 'else_branch', type: AttrType.GRAPH, g: elseBranch },
    ],
  };
  return {
    insert(graph) {
      for (const n of graph.node ?? [])
        if (n !== ifNode) n.input = (n.input ?? []).map((i) => (i === reference ? result : i));
      const at = graph.node!.findIndex((n) => (n.output ?? []).includes(reference));
      graph.node!.splice(at + 1, 0, ifNode);
    },
  };
}
