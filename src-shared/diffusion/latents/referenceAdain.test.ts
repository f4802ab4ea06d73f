import { describe, expect, it } from 'vitest';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { adainPrediction, channelStats } from './referenceAdain';

const size = 4 * 8 * 8;

function implied(
  pred: Float32Array,
  x: Float32Array,
  ab: number,
  kind: 'epsilon' | 'v_prediction',
) {
  const a = Math.sqrt(ab);
  const b = Math.sqrt(1 - ab);
  return x.map((v, i) => (kind === 'epsilon' ? (v - b * pred[i]!) / a : a * v - b * pred[i]!));
}

describe('reference AdaIN of the predicted clean latent', () => {
  for (const kind of ['epsilon', 'v_prediction'] as const)
    it(`${kind}: the implied clean latent takes the reference's per-channel mean and spread`, () => {
      const reference = frameNoise(1, 0, size).map((v, i) => v * 0.5 + (i < 64 ? 2 : -1));
      const target = channelStats(reference);
      const x = frameNoise(2, 0, size);
      const pred = frameNoise(3, 0, size);
      const out = adainPrediction(pred, x, 0.3, target, kind);
      const got = channelStats(implied(out, x, 0.3, kind));
      for (let c = 0; c < 4; c++) {
        expect(got.mean[c]).toBeCloseTo(target.mean[c]!, 4);
        expect(got.std[c]).toBeCloseTo(target.std[c]!, 4);
      }
      // weight 0 is the identity (to float rounding).
      const same = adainPrediction(pred, x, 0.3, target, kind, 0);
      for (let i = 0; i < size; i++) expect(same[i]).toBeCloseTo(pred[i]!, 4);
    });

  it("a prediction whose clean latent already has the reference's statistics is unchanged", () => {
    const x = frameNoise(2, 0, size);
    const pred = frameNoise(3, 0, size);
    const target = channelStats(implied(pred, x, 0.5, 'epsilon'));
    const out = adainPrediction(pred, x, 0.5, target, 'epsilon');
    for (let i = 0; i < size; i++) expect(out[i]).toBeCloseTo(pred[i]!, 4);
  });

  it('refuses what it cannot use', () => {
    const x = frameNoise(2, 0, size);
    const t = channelStats(x);
    expect(() => adainPrediction(x, x.subarray(1), 0.5, t, 'epsilon')).toThrow(/values/);
    for (const ab of [0, 1, NaN, -1])
      expect(() => adainPrediction(x, x, ab, t, 'epsilon')).toThrow(/alphaBar/);
    expect(() => adainPrediction(x, x, 0.5, t, 'epsilon', NaN)).toThrow(/weight/);
    expect(() => channelStats(new Float32Array(7))).toThrow(/channels/);
    // A flat channel is shifted, never divided by zero.
    const flat = new Float32Array(size);
    expect(adainPrediction(flat, flat, 0.5, t, 'epsilon').every(Number.isFinite)).toBe(true);
  });
});
