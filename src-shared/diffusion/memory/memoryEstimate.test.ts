import { describe, expect, it } from 'vitest';
import { memoryBudgetBytes, memoryBudgetSchema } from './memoryBudget';
import {
  estimateMemory,
  MemoryBudgetError,
  planCalls,
  RUNTIME_BYTES,
  WEIGHT_RESIDENCY,
  type MemoryInputs,
} from './memoryEstimate';
import { describeMemory, largestCallItems, memoryReport } from './memoryReport';
import type { AttentionShape, ModelShape } from './modelShape';

const GiB = 1024 ** 3;

/**
 * SD 1.5's UNet as the graph reader finds it: 8 heads everywhere, channels 320/640/1280; score
 * buffers 2 (unfused, no bias), 3 (diffusers' baddbmm export) or 1 (fused).
 */
function sd15Unet(scoreBuffers = 2): ModelShape {
  const attentions: AttentionShape[] = [];
  const add = (level: number, n: number, channels: number) => {
    for (let k = 0; k < n; k++)
      for (const self of [true, false])
        attentions.push({ scope: `l${level}.${k}`, level, heads: 8, self, scoreBuffers, channels });
  };
  add(0, 2, 320);
  add(1, 2, 640);
  add(2, 2, 1280);
  add(3, 1, 1280); // mid block
  add(2, 3, 1280);
  add(1, 3, 640);
  add(0, 3, 320);
  return { attentions, levels: 4 };
}

function inputs(over: Partial<MemoryInputs> = {}): MemoryInputs {
  return {
    unet: sd15Unet(),
    controlnet: null,
    weightBytes: 3.44e9,
    latentHeight: 64,
    latentWidth: 64,
    bankCopies: 0,
    crossFrame: false,
    textTokens: 77,
    valueBytes: 4,
    decoderChannels: 128,
    ...over,
  };
}

describe('memory estimate', () => {
  it('unfused SD1.5 at 512²: 50 items of attention scores alone are ≈ 54 GB (the issue’s figure)', () => {
    const e = estimateMemory(inputs());
    // 8 heads × 4096 × 4096 × 4 B × 2 (scores and softmax) = 1 GiB per item.
    expect(e.attentionBytes).toBe(8 * 4096 * 4096 * 4 * 2);
    expect((50 * e.attentionBytes) / 1e9).toBeCloseTo(53.7, 1);
  });

  it('the reference bank doubles the keys of every self-attention; cross-frame adds one more frame', () => {
    const plain = estimateMemory(inputs()).attentionBytes;
    expect(estimateMemory(inputs({ bankCopies: 1 })).attentionBytes).toBe(2 * plain);
    expect(estimateMemory(inputs({ bankCopies: 1, crossFrame: true })).attentionBytes).toBe(
      3 * plain,
    );
  });

  it('scores scale with the buffers the form keeps; float16 halves every activation', () => {
    const unfused = estimateMemory(inputs());
    expect(estimateMemory(inputs({ unet: sd15Unet(1) })).attentionBytes).toBe(
      unfused.attentionBytes / 2,
    );
    expect(estimateMemory(inputs({ unet: sd15Unet(3) })).attentionBytes).toBe(
      (unfused.attentionBytes * 3) / 2,
    );
    const half = estimateMemory(inputs({ valueBytes: 2 }));
    expect(half.perItemBytes).toBe(unfused.perItemBytes / 2);
  });

  it('scores grow with the square of the token count: 256² needs 1/16 of 512²', () => {
    const small = estimateMemory(inputs({ latentHeight: 32, latentWidth: 32 }));
    expect(small.attentionBytes * 16).toBe(estimateMemory(inputs()).attentionBytes);
  });

  it('fixed part = weights × their residency + bank + runtime', () => {
    const e = estimateMemory(inputs({ bankCopies: 1 }));
    expect(e.fixedBytes).toBe(3.44e9 * WEIGHT_RESIDENCY + e.bankBytes + RUNTIME_BYTES);
    // 16 self-attentions' K and V at their level: tens of MB at 512², not GB.
    expect(e.bankBytes).toBeGreaterThan(50e6);
    expect(e.bankBytes).toBeLessThan(200e6);
  });
});

describe('splitting calls under a budget', () => {
  const e = estimateMemory(inputs({ bankCopies: 1 }));
  it('segment 24, fused anchor, guidance: 50 items; a 2 GB budget cannot hold SD1.5 weights ×3', () => {
    expect(largestCallItems({ windowFrames: 24, anchor: true, guided: true })).toBe(50);
    expect(() => planCalls(e, 50, 2 * GiB)).toThrow(MemoryBudgetError);
    expect(() => planCalls(e, 50, 2 * GiB)).toThrow(/Raise the memory budget to at least/);
  });

  it('takes as many items as fit and says what the unsplit call would need', () => {
    const budget = e.fixedBytes + 5.5 * e.perItemBytes;
    const plan = planCalls(e, 50, budget);
    expect(plan.itemsPerCall).toBe(5);
    expect(plan.peakBytes).toBeLessThanOrEqual(budget);
    expect(plan.unsplitPeakBytes).toBe(e.fixedBytes + 50 * e.perItemBytes);
    expect(planCalls(e, 3, budget).itemsPerCall).toBe(3);
  });

  it('off = one call, whatever it needs', () => {
    const plan = planCalls(e, 50, null);
    expect(plan.itemsPerCall).toBe(Infinity);
    expect(plan.peakBytes).toBe(plan.unsplitPeakBytes);
  });

  it('hostile budgets refuse instead of splitting into nothing', () => {
    for (const bad of [NaN, -1, 0, 1])
      expect(() => planCalls(e, 50, bad), String(bad)).toThrow(MemoryBudgetError);
    expect(planCalls(e, 50, 1e308).itemsPerCall).toBe(50);
  });

  it('cross-frame attention is indivisible: the whole call fits or it is refused', () => {
    const budget = e.fixedBytes + 10.5 * e.perItemBytes;
    expect(() => planCalls(e, 50, budget, { indivisible: true })).toThrow(/cross-frame attention/);
    expect(planCalls(e, 10, budget, { indivisible: true }).itemsPerCall).toBe(10);
  });

  it('the report line says peak, budget and split', () => {
    const r = memoryReport(
      inputs({ bankCopies: 1 }),
      { windowFrames: 24, anchor: true, guided: true },
      e.fixedBytes + 4.5 * e.perItemBytes,
    );
    expect(describeMemory(r)).toMatch(
      /^memory: ≈ [\d.]+ GB peak \(weights 3\.20 GB, [\d.]+ GB per UNet item, 50 items per step call unsplit\); budget [\d.]+ GB: 4 UNet items per call \(unsplit it would need ≈ [\d.]+ GB\)$/,
    );
  });
});

describe('memoryBudgetGB setting', () => {
  it('auto is 75 % of the device, off is null, a number is GB', () => {
    expect(memoryBudgetBytes('auto', 16 * GiB)).toBe(12 * GiB);
    expect(memoryBudgetBytes('off', 16 * GiB)).toBeNull();
    expect(memoryBudgetBytes(2, 16 * GiB)).toBe(2 * GiB);
  });

  it('refuses what is not a budget', () => {
    for (const bad of [NaN, -1, 0.1, 1e308, 'lots', null, {}, '2'])
      expect(memoryBudgetSchema.safeParse(bad).success, String(bad)).toBe(false);
  });
});
