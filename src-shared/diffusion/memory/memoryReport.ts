import {
  estimateMemory,
  gib,
  planCalls,
  type CallPlan,
  type MemoryEstimate,
  type MemoryInputs,
} from './memoryEstimate';

/** What a render will do to memory, estimated before it starts (shown by the CLI and the studio). */
export interface MemoryReport {
  estimate: MemoryEstimate;
  plan: CallPlan;
  /** UNet items of the largest call the render makes, unsplit (frames × guidance, anchor incl.). */
  largestCall: number;
  /** The budget in bytes, or null when it is off. */
  budgetBytes: number | null;
}

/** The shape of a render that decides its largest UNet call. */
export interface RenderCallShape {
  /** Frames a window samples together (segment length T; the whole video when shorter). */
  windowFrames: number;
  /** `fused` windows carry the reference pose as an extra anchor item. */
  anchor: boolean;
  /** Guidance ≠ 1 doubles every call (unconditional + conditional items). */
  guided: boolean;
}

export function largestCallItems(shape: RenderCallShape): number {
  return (shape.windowFrames + (shape.anchor ? 1 : 0)) * (shape.guided ? 2 : 1);
}

/** Estimate and split; throws MemoryBudgetError (with the fix) when the budget cannot work. */
export function memoryReport(
  inputs: MemoryInputs,
  call: RenderCallShape,
  budgetBytes: number | null,
): MemoryReport {
  const estimate = estimateMemory(inputs);
  const largestCall = largestCallItems(call);
  const plan = planCalls(estimate, largestCall, budgetBytes, {
    indivisible: inputs.crossFrame,
    size: `${inputs.latentWidth * 8}×${inputs.latentHeight * 8}`,
  });
  return { estimate, plan, largestCall, budgetBytes };
}

/** One line: peak, what it is made of, the budget and the split it leads to. */
export function describeMemory(r: MemoryReport): string {
  const e = r.estimate;
  const parts = [
    `memory: ≈ ${gib(r.plan.peakBytes)} peak (weights ${gib(e.weightBytes)}, ` +
      `${gib(e.perItemBytes)} per UNet item, ${r.largestCall} items per step call unsplit)`,
  ];
  if (r.budgetBytes === null) parts.push(`budget off: one call of ${r.largestCall} items`);
  else
    parts.push(
      `budget ${gib(r.budgetBytes)}: ${r.plan.itemsPerCall} UNet items per call` +
        (r.plan.itemsPerCall < r.largestCall
          ? ` (unsplit it would need ≈ ${gib(r.plan.unsplitPeakBytes)})`
          : ''),
    );
  return parts.join('; ');
}
