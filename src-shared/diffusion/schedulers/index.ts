export * from './schedulerConfig';
export * from './noiseSchedule';
export * from './timesteps';
export * from './sampler';
export * from './ddimScheduler';
export * from './eulerScheduler';
export * from './createSampler';
