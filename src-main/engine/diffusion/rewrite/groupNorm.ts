import type { onnx } from 'onnx-proto';
import {
  floatAttr,
  floatAttribute,
  floatConst,
  int64Const,
  intAttr,
  intsAttribute,
  replaceNode,
} from './graphEdit';

/**
 * ORT's com.microsoft GroupNorm (DirectML/CUDA only) as standard ops, the way torch exports
 * GroupNorm: Reshape to [N, groups, −1] → InstanceNormalization (unit scale, zero bias) → Reshape
 * back → × gamma + beta per channel, then SiLU when `activation` is 1. `channels_last` (ORT's
 * default is 1!) means NHWC input and output, so the NCHW decomposition runs between Transposes.
 */
export function decomposeGroupNorm(
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  elemType: number,
): string {
  const [x, gamma, beta] = node.input ?? [];
  const out = node.output![0]!;
  const groups = intAttr(node, 'groups', 0);
  if (!x || !gamma || !beta || groups <= 0)
    throw new Error(`GroupNorm ${node.name} lacks its input, gamma, beta or groups`);
  const epsilon = floatAttr(node, 'epsilon', 1e-5);
  const silu = intAttr(node, 'activation', 0) === 1;
  const channelsLast = intAttr(node, 'channels_last', 1) === 1;
  const p = `/rewrite/${node.name || out}`;
  const nodes: onnx.INodeProto[] = [];
  let input = x;
  if (channelsLast) {
    nodes.push({
      name: `${p}/to_nchw`,
      opType: 'Transpose',
      input: [x],
      output: [`${p}/nchw`],
      attribute: [intsAttribute('perm', [0, 3, 1, 2])],
    });
    input = `${p}/nchw`;
  }
  const ones = floatConst(
    graph,
    `${p}/ones`,
    new Array<number>(groups).fill(1),
    [groups],
    elemType,
  );
  const zeros = floatConst(
    graph,
    `${p}/zeros`,
    new Array<number>(groups).fill(0),
    [groups],
    elemType,
  );
  const perChannel = int64Const(graph, '/rewrite/per_channel_shape', [-1, 1, 1]);
  nodes.push(
    {
      name: `${p}/Reshape`,
      opType: 'Reshape',
      input: [input, int64Const(graph, `/rewrite/groups_${groups}_shape`, [0, groups, -1])],
      output: [`${p}/grouped`],
    },
    {
      name: `${p}/InstanceNormalization`,
      opType: 'InstanceNormalization',
      input: [`${p}/grouped`, ones, zeros],
      output: [`${p}/normed`],
      attribute: [floatAttribute('epsilon', epsilon)],
    },
    { name: `${p}/Shape`, opType: 'Shape', input: [input], output: [`${p}/shape`] },
    {
      name: `${p}/Reshape_1`,
      opType: 'Reshape',
      input: [`${p}/normed`, `${p}/shape`],
      output: [`${p}/ungrouped`],
    },
    {
      name: `${p}/gamma`,
      opType: 'Reshape',
      input: [gamma, perChannel],
      output: [`${p}/gamma_c11`],
    },
    { name: `${p}/beta`, opType: 'Reshape', input: [beta, perChannel], output: [`${p}/beta_c11`] },
    {
      name: `${p}/Mul`,
      opType: 'Mul',
      input: [`${p}/ungrouped`, `${p}/gamma_c11`],
      output: [`${p}/scaled`],
    },
    {
      name: `${p}/Add`,
      opType: 'Add',
      input: [`${p}/scaled`, `${p}/beta_c11`],
      output: [`${p}/affine`],
    },
  );
  let result = `${p}/affine`;
  if (silu) {
    nodes.push(
      { name: `${p}/Sigmoid`, opType: 'Sigmoid', input: [result], output: [`${p}/sigmoid`] },
      { name: `${p}/SiLU`, opType: 'Mul', input: [result, `${p}/sigmoid`], output: [`${p}/silu`] },
    );
    result = `${p}/silu`;
  }
  if (channelsLast)
    nodes.push({
      name: `${p}/to_nhwc`,
      opType: 'Transpose',
      input: [result],
      output: [out],
      attribute: [intsAttribute('perm', [0, 2, 3, 1])],
    });
  else nodes[nodes.length - 1]!.output = [out];
  replaceNode(graph, node, nodes);
  return `GroupNorm ${node.name} → Reshape/InstanceNormalization/Mul/Add${silu ? '/SiLU' : ''}${channelsLast ? ' between NHWC↔NCHW Transposes' : ''}`;
}
