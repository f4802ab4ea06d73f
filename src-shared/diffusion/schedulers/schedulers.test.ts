import { describe, expect, it } from 'vitest';
import {
  DdimScheduler,
  EulerScheduler,
  inferenceTimesteps,
  noiseSchedule,
  parseSchedulerConfig,
  sd15SchedulerConfig,
  type SchedulerConfig,
} from './index';

describe('SD1.5 noise schedule', () => {
  const { alphasCumprod, betas } = noiseSchedule(sd15SchedulerConfig);

  it('matches published reference values', () => {
    expect(betas[0]).toBeCloseTo(0.00085, 12);
    expect(betas[999]).toBeCloseTo(0.012, 12);
    expect(alphasCumprod[0]).toBeCloseTo(0.99915, 12);
    // "Common Diffusion Noise Schedules and Sample Steps are Flawed" (Lin et al. 2024), table 1:
    // Stable Diffusion's terminal √ᾱ_T = 0.068265.
    expect(Math.sqrt(alphasCumprod[999]!)).toBeCloseTo(0.068265, 6);
    // k-diffusion / Karras defaults for SD: σ_min 0.0292, σ_max 14.6146.
    const sigma = (a: number) => Math.sqrt((1 - a) / a);
    expect(sigma(alphasCumprod[0]!)).toBeCloseTo(0.0292, 4);
    expect(sigma(alphasCumprod[999]!)).toBeCloseTo(14.6146, 4);
  });

  it('pins intermediate ᾱ values', () => {
    expect(alphasCumprod[1]).toBeCloseTo(0.9982960278, 9);
    expect(alphasCumprod[250]).toBeCloseTo(0.6737926252, 9);
    expect(alphasCumprod[500]).toBeCloseTo(0.2763326838, 9);
    expect(alphasCumprod[750]).toBeCloseTo(0.056169848, 9);
  });

  it('decreases strictly', () => {
    for (let i = 1; i < 1000; i++) expect(alphasCumprod[i]!).toBeLessThan(alphasCumprod[i - 1]!);
  });
});

describe('timestep spacing', () => {
  it('leading with steps_offset 1 gives 981, 961, …, 1 for 50 steps', () => {
    const ts = inferenceTimesteps(50, 1000, 'leading', 1, true);
    expect(ts).toHaveLength(50);
    expect(ts.slice(0, 3)).toEqual([981, 961, 941]);
    expect(ts.at(-1)).toBe(1);
    expect(ts).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i));
  });

  it('leading without offset and with a ratio that does not divide 1000', () => {
    expect(inferenceTimesteps(3, 1000, 'leading', 0, true)).toEqual([666, 333, 0]);
  });

  it('trailing starts at the last training step', () => {
    expect(inferenceTimesteps(50, 1000, 'trailing', 0, true).slice(0, 3)).toEqual([999, 979, 959]);
    expect(inferenceTimesteps(50, 1000, 'trailing', 0, true).at(-1)).toBe(19);
    // diffusers: np.round(np.arange(1000, 0, -1000/3)) - 1 = [999, 666, 332] (666.67→667, 333.33→333)
    expect(inferenceTimesteps(3, 1000, 'trailing', 0, true)).toEqual([999, 666, 332]);
  });

  it('linspace covers both ends; Euler keeps fractions, DDIM rounds half to even', () => {
    expect(inferenceTimesteps(4, 1000, 'linspace', 0, true)).toEqual([999, 666, 333, 0]);
    const frac = inferenceTimesteps(5, 1000, 'linspace', 0, false);
    expect(frac).toEqual([999, 749.25, 499.5, 249.75, 0]);
    expect(inferenceTimesteps(5, 1000, 'linspace', 0, true)).toEqual([999, 749, 500, 250, 0]);
  });

  it('refuses impossible step counts and offsets', () => {
    expect(() => inferenceTimesteps(0, 1000, 'leading', 1, true)).toThrow(/steps/);
    expect(() => inferenceTimesteps(1, 1000, 'trailing', 5, true)).not.toThrow();
    expect(() => inferenceTimesteps(1000, 1000, 'leading', 1, true)).toThrow(/outside/);
  });
});

describe('scheduler_config.json', () => {
  it('names the bad field', () => {
    expect(() => parseSchedulerConfig({ beta_schedule: 'cosine' })).toThrow(/beta_schedule/);
    expect(() => parseSchedulerConfig({ prediction_type: 'sample' })).toThrow(/prediction_type/);
    expect(() => parseSchedulerConfig({ beta_start: 0.02, beta_end: 0.01 })).toThrow(/beta_end/);
    expect(() => parseSchedulerConfig('nope')).toThrow(/scheduler_config.json/);
  });
});

/** A latent with known clean part x0 and noise ε, at noise level ᾱ. */
function noisy(x0: number[], eps: number[], alpha: number): Float32Array {
  return Float32Array.from(x0, (x, i) => Math.sqrt(alpha) * x + Math.sqrt(1 - alpha) * eps[i]!);
}
const x0 = [0.5, -1.25, 0.75, 2];
const eps = [1.1, -0.3, 0.2, -1.7];
const vPred: SchedulerConfig = { ...sd15SchedulerConfig, prediction_type: 'v_prediction' };

describe('DDIM (η = 0)', () => {
  it('an exact ε prediction lands exactly on the next noise level', () => {
    const ddim = new DdimScheduler(sd15SchedulerConfig, 50);
    const a = ddim.alphaCumprod(981);
    const next = ddim.step(Float32Array.from(eps), 0, noisy(x0, eps, a));
    expect(Array.from(next)).toEqual(
      Array.from(noisy(x0, eps, ddim.alphaCumprod(961))).map((v) => expect.closeTo(v, 5)),
    );
  });

  it('an exact v prediction does the same', () => {
    const ddim = new DdimScheduler(vPred, 50);
    const a = ddim.alphaCumprod(981);
    const v = eps.map((e, i) => Math.sqrt(a) * e - Math.sqrt(1 - a) * x0[i]!);
    const next = ddim.step(Float32Array.from(v), 0, noisy(x0, eps, a));
    expect(Array.from(next)).toEqual(
      Array.from(noisy(x0, eps, ddim.alphaCumprod(961))).map((v) => expect.closeTo(v, 5)),
    );
  });

  it('the last step goes to ᾱ₀ (set_alpha_to_one false) or to the clean sample', () => {
    const ddim = new DdimScheduler(sd15SchedulerConfig, 50);
    const last = ddim.step(Float32Array.from(eps), 49, noisy(x0, eps, ddim.alphaCumprod(1)));
    expect(Array.from(last)).toEqual(
      Array.from(noisy(x0, eps, 0.99915)).map((v) => expect.closeTo(v, 5)),
    );
    const toOne = new DdimScheduler({ ...sd15SchedulerConfig, set_alpha_to_one: true }, 50);
    const clean = toOne.step(Float32Array.from(eps), 49, noisy(x0, eps, toOne.alphaCumprod(1)));
    expect(Array.from(clean)).toEqual(x0.map((v) => expect.closeTo(v, 5)));
  });

  it('an inversion step undoes a sampling step given the same ε prediction', () => {
    // Exact for ε-prediction only: a v output means a different ε̂ at a different sample.
    {
      const ddim = new DdimScheduler(sd15SchedulerConfig, 25);
      const start = noisy(x0, eps, ddim.alphaCumprod(ddim.timesteps[7]!));
      const output = Float32Array.from([0.3, -0.9, 1.4, 0.05]);
      const down = ddim.step(output, 7, start);
      const back = ddim.invertStep(output, 7, down);
      for (let i = 0; i < 4; i++) expect(back[i]).toBeCloseTo(start[i]!, 5);
    }
  });

  it('rejects a step index outside the schedule and mismatched lengths', () => {
    const ddim = new DdimScheduler(sd15SchedulerConfig, 10);
    expect(() => ddim.step(new Float32Array(4), 10, new Float32Array(4))).toThrow(/step index/);
    expect(() => ddim.step(new Float32Array(3), 0, new Float32Array(4))).toThrow(/3 values/);
  });
});

describe('Euler', () => {
  it('starts from σ_max-level noise and ends at σ = 0', () => {
    const euler = new EulerScheduler(sd15SchedulerConfig, 50);
    expect(euler.sigmas[0]).toBeCloseTo(13.1204, 3); // σ at t = 981 (leading never reaches 999)
    expect(euler.initNoiseSigma).toBeCloseTo(Math.sqrt(13.120411 ** 2 + 1), 4);
    expect(euler.sigmas[50]).toBe(0);
    const trailing = new EulerScheduler(
      { ...sd15SchedulerConfig, timestep_spacing: 'trailing' },
      50,
    );
    expect(trailing.initNoiseSigma).toBeCloseTo(14.6146, 3);
  });

  it('interpolates σ at fractional timesteps', () => {
    const euler = new EulerScheduler({ ...sd15SchedulerConfig, timestep_spacing: 'linspace' }, 5);
    const { alphasCumprod } = noiseSchedule(sd15SchedulerConfig);
    const s = (t: number) => Math.sqrt((1 - alphasCumprod[t]!) / alphasCumprod[t]!);
    expect(euler.sigmas[1]).toBeCloseTo(0.75 * s(749) + 0.25 * s(750), 10);
  });

  it('an exact ε or v prediction moves along the straight σ path', () => {
    for (const config of [sd15SchedulerConfig, vPred]) {
      const euler = new EulerScheduler(config, 20);
      const sigma = euler.sigmas[3]!;
      const sample = Float32Array.from(x0, (x, i) => x + sigma * eps[i]!);
      const scaled = euler.scaleModelInput(sample, 3);
      const alpha = 1 / (sigma * sigma + 1);
      expect(scaled[0]).toBeCloseTo(Math.sqrt(alpha) * x0[0]! + Math.sqrt(1 - alpha) * eps[0]!, 5);
      const out =
        config.prediction_type === 'epsilon'
          ? Float32Array.from(eps)
          : Float32Array.from(eps, (e, i) => Math.sqrt(alpha) * e - Math.sqrt(1 - alpha) * x0[i]!);
      const next = euler.step(out, 3, sample);
      const nextSigma = euler.sigmas[4]!;
      for (let i = 0; i < 4; i++) expect(next[i]).toBeCloseTo(x0[i]! + nextSigma * eps[i]!, 4);
    }
  });
});

describe('noisedAt (holding frames to known content)', () => {
  it('DDIM: a sampling step from the noised level with the true ε lands on the next noised level', () => {
    const ddim = new DdimScheduler(sd15SchedulerConfig, 10);
    const clean = Float32Array.from(x0);
    const noise = Float32Array.from(eps);
    const next = ddim.step(noise, 3, ddim.noisedAt(clean, noise, 3));
    const expected = ddim.noisedAt(clean, noise, 4);
    for (let i = 0; i < 4; i++) expect(next[i]).toBeCloseTo(expected[i]!, 5);
    const end = ddim.noisedAt(clean, noise, 10);
    expect(end[0]).toBeCloseTo(Math.sqrt(0.99915) * x0[0]! + Math.sqrt(0.00085) * eps[0]!, 6);
  });

  it('Euler: the same in σ space, clean at the end', () => {
    const euler = new EulerScheduler(sd15SchedulerConfig, 10);
    const clean = Float32Array.from(x0);
    const noise = Float32Array.from(eps);
    const next = euler.step(noise, 3, euler.noisedAt(clean, noise, 3));
    const expected = euler.noisedAt(clean, noise, 4);
    for (let i = 0; i < 4; i++) expect(next[i]).toBeCloseTo(expected[i]!, 4);
    expect(Array.from(euler.noisedAt(clean, noise, 10))).toEqual(Array.from(clean));
  });
});

describe('stepping into a buffer', () => {
  it.each(['epsilon', 'v_prediction'] as const)(
    'DDIM and Euler (%s): into `out`, or in place, equals a fresh step',
    (prediction) => {
      const config = { ...sd15SchedulerConfig, prediction_type: prediction };
      for (const sampler of [new DdimScheduler(config, 10), new EulerScheduler(config, 10)]) {
        const sample = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
        const output = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.7));
        const fresh = sampler.step(output, 3, sample);
        const out = new Float32Array(64);
        expect(sampler.step(output, 3, sample, out)).toBe(out);
        expect(out).toEqual(fresh);
        const inPlace = sample.slice();
        expect(sampler.step(output, 3, inPlace, inPlace)).toBe(inPlace);
        expect(inPlace).toEqual(fresh);
        expect(() => sampler.step(output, 3, sample, new Float32Array(3))).toThrow(/out/);
      }
    },
  );
});
