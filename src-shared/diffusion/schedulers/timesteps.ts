import type { TimestepSpacing } from './schedulerConfig';

/**
 * The timesteps a sampler visits, highest noise first, for `steps` inference steps — diffusers'
 * three spacings. `leading` with steps_offset 1 is what SD1.5 packs ship: 50 steps →
 * 981, 961, …, 1. `trailing` starts at the last training step (needed for zero-terminal-SNR
 * and v-prediction fine-tunes). Values may be fractional for `linspace` when `round` is false
 * (Euler interpolates sigmas between training steps; DDIM rounds).
 */
export function inferenceTimesteps(
  steps: number,
  trainSteps: number,
  spacing: TimestepSpacing,
  stepsOffset: number,
  round: boolean,
): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > trainSteps)
    throw new RangeError(`steps must be a whole number from 1 to ${trainSteps}, got ${steps}`);
  const out: number[] = [];
  if (spacing === 'leading') {
    const ratio = Math.floor(trainSteps / steps);
    for (let i = steps - 1; i >= 0; i--) out.push(i * ratio + stepsOffset);
  } else if (spacing === 'trailing') {
    const ratio = trainSteps / steps;
    for (let i = 0; i < steps; i++) out.push(roundHalfEven(trainSteps - i * ratio) - 1);
  } else {
    for (let i = steps - 1; i >= 0; i--) {
      const t = steps === 1 ? 0 : (i * (trainSteps - 1)) / (steps - 1);
      out.push(round ? roundHalfEven(t) : t);
    }
  }
  for (const t of out)
    if (t < 0 || t > trainSteps - 1)
      throw new RangeError(
        `timestep ${t} falls outside 0…${trainSteps - 1} (steps_offset too large?)`,
      );
  return out;
}

/** numpy's round(): halves go to the even neighbour, so our timesteps match diffusers'. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
