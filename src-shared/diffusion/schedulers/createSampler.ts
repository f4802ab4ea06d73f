import { DdimScheduler } from './ddimScheduler';
import { EulerScheduler } from './eulerScheduler';
import type { Sampler } from './sampler';
import type { SchedulerConfig } from './schedulerConfig';

export const SAMPLER_KINDS = ['ddim', 'euler'] as const;
export type SamplerKind = (typeof SAMPLER_KINDS)[number];

/** The pack's schedule with the sampler the user picked (packs name PNDM, which we do not run). */
export function createSampler(kind: SamplerKind, config: SchedulerConfig, steps: number): Sampler {
  return kind === 'ddim' ? new DdimScheduler(config, steps) : new EulerScheduler(config, steps);
}
