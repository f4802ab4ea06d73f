import type { onnx } from 'onnx-proto';
import { floatConst, int64Const, intsAttribute, replaceNode, type GraphIndex } from './graphEdit';

/**
 * CUDA/DirectML-only contrib ops that ORT's Stable-Diffusion optimiser emits, written back as the
 * standard ops they fused. Each returns a one-line description for the rewrite report.
 */

/**
 * NhwcConv: NHWC input, weight stored as [M, kH, kW, C/group] (ORT's fusion_nhwc_conv transposes
 * the Conv weight with perm (0, 2, 3, 1)), Conv's attributes. Rewritten as Transposes around a
 * plain Conv; ORT's transpose optimiser cancels the pairs that the fusion itself had added.
 */
export function nhwcConvToConv(graph: onnx.IGraphProto, node: onnx.INodeProto): string {
  const [x, w, b] = node.input ?? [];
  if (!x || !w) throw new Error(`NhwcConv ${node.name} lacks its input or weight`);
  const p = `/rewrite/${node.name || node.output![0]}`;
  const toNchw = [0, 3, 1, 2];
  replaceNode(graph, node, [
    {
      name: `${p}/x_nchw`,
      opType: 'Transpose',
      input: [x],
      output: [`${p}/x_nchw`],
      attribute: [intsAttribute('perm', toNchw)],
    },
    {
      name: `${p}/w_oihw`,
      opType: 'Transpose',
      input: [w],
      output: [`${p}/w_oihw`],
      attribute: [intsAttribute('perm', toNchw)],
    },
    {
      name: `${p}/Conv`,
      opType: 'Conv',
      input: [`${p}/x_nchw`, `${p}/w_oihw`, ...(b ? [b] : [])],
      output: [`${p}/y_nchw`],
      attribute: node.attribute ?? [],
    },
    {
      name: `${p}/y_nhwc`,
      opType: 'Transpose',
      input: [`${p}/y_nchw`],
      output: [node.output![0]!],
      attribute: [intsAttribute('perm', [0, 2, 3, 1])],
    },
  ]);
  return `NhwcConv ${node.name} → Transpose/Conv/Transpose`;
}

/** BiasAdd: Y = X + bias + skip. */
export function biasAddToAdds(graph: onnx.IGraphProto, node: onnx.INodeProto): string {
  const [x, bias, skip] = node.input ?? [];
  if (!x || !bias || !skip) throw new Error(`BiasAdd ${node.name} needs input, bias and skip`);
  const p = `/rewrite/${node.name || node.output![0]}`;
  replaceNode(graph, node, [
    { name: `${p}/Add_bias`, opType: 'Add', input: [x, bias], output: [`${p}/biased`] },
    { name: `${p}/Add_skip`, opType: 'Add', input: [`${p}/biased`, skip], output: node.output! },
  ]);
  return `BiasAdd ${node.name} → Add/Add`;
}

/**
 * BiasSplitGelu: (X + bias) split in halves along the last axis, left × Gelu(right), with the
 * exact (erf) Gelu of diffusers' GEGLU. The half width comes from the bias initializer's shape.
 */
export function biasSplitGeluToOps(
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  index: GraphIndex,
  elemType: number,
): string {
  const [x, bias] = node.input ?? [];
  const width = Number(index.initializers.get(bias ?? '')?.dims?.[0] ?? 0);
  if (!x || !bias || width <= 0 || width % 2 !== 0)
    throw new Error(
      `BiasSplitGelu ${node.name}: its bias is not an initializer of even length, so the split point is unknown`,
    );
  const half = width / 2;
  const p = `/rewrite/${node.name || node.output![0]}`;
  const lastAxis = int64Const(graph, '/rewrite/last_axis', [-1]);
  const c = (name: string, v: number) => floatConst(graph, `/rewrite/${name}`, [v], [], elemType);
  replaceNode(graph, node, [
    { name: `${p}/Add`, opType: 'Add', input: [x, bias], output: [`${p}/biased`] },
    {
      name: `${p}/left`,
      opType: 'Slice',
      input: [
        `${p}/biased`,
        int64Const(graph, '/rewrite/zero_1', [0]),
        int64Const(graph, `/rewrite/i_${half}`, [half]),
        lastAxis,
      ],
      output: [`${p}/left`],
    },
    {
      name: `${p}/right`,
      opType: 'Slice',
      input: [
        `${p}/biased`,
        `/rewrite/i_${half}`,
        int64Const(graph, `/rewrite/i_${width}`, [width]),
        lastAxis,
      ],
      output: [`${p}/right`],
    },
    {
      name: `${p}/Div`,
      opType: 'Div',
      input: [`${p}/right`, c('sqrt2', Math.SQRT2)],
      output: [`${p}/scaled`],
    },
    { name: `${p}/Erf`, opType: 'Erf', input: [`${p}/scaled`], output: [`${p}/erf`] },
    { name: `${p}/Add_1`, opType: 'Add', input: [`${p}/erf`, c('one', 1)], output: [`${p}/erf1`] },
    {
      name: `${p}/Mul_half`,
      opType: 'Mul',
      input: [`${p}/right`, c('half', 0.5)],
      output: [`${p}/halfx`],
    },
    { name: `${p}/Gelu`, opType: 'Mul', input: [`${p}/halfx`, `${p}/erf1`], output: [`${p}/gelu`] },
    { name: `${p}/Mul`, opType: 'Mul', input: [`${p}/left`, `${p}/gelu`], output: node.output! },
  ]);
  return `BiasSplitGelu ${node.name} → Add/Slice/Erf-Gelu/Mul`;
}
