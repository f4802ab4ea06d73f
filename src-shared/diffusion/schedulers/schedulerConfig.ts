import { z } from 'zod';

/**
 * The subset of diffusers' `scheduler/scheduler_config.json` that decides the noise schedule.
 * Packs ship configs written for other schedulers (PNDM, LMS, …): the schedule fields are shared,
 * so we read them and ignore the class name's sampler-specific keys.
 */
export const schedulerConfigSchema = z
  .object({
    _class_name: z.string().optional(),
    num_train_timesteps: z.number().int().min(2).default(1000),
    beta_start: z.number().positive().default(0.00085),
    beta_end: z.number().positive().default(0.012),
    beta_schedule: z
      .enum(['linear', 'scaled_linear', 'squaredcos_cap_v2'])
      .default('scaled_linear'),
    trained_betas: z.array(z.number()).nullable().optional(),
    prediction_type: z.enum(['epsilon', 'v_prediction']).default('epsilon'),
    timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).default('leading'),
    steps_offset: z.number().int().min(0).default(0),
    set_alpha_to_one: z.boolean().default(false),
    clip_sample: z.boolean().default(false),
  })
  .loose()
  .refine((c) => c.beta_end > c.beta_start, { message: 'beta_end must be larger than beta_start' })
  .refine((c) => c.trained_betas == null || c.trained_betas.length === c.num_train_timesteps, {
    message: 'trained_betas must have num_train_timesteps entries',
  });

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
export type PredictionType = SchedulerConfig['prediction_type'];
export type TimestepSpacing = SchedulerConfig['timestep_spacing'];

/** Parses the JSON text of a scheduler config; `source` names the file in the error. */
export function parseSchedulerConfig(
  json: unknown,
  source = 'scheduler_config.json',
): SchedulerConfig {
  const result = schedulerConfigSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new Error(
      `${source} is not a usable scheduler config${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (result.data.clip_sample)
    throw new Error(
      `${source}: clip_sample=true is for pixel-space models; SD latent packs use false`,
    );
  return result.data;
}

/** The SD1.5 schedule (what every SD1.5-family pack ships), for tests and defaults. */
export const sd15SchedulerConfig: SchedulerConfig = parseSchedulerConfig({
  num_train_timesteps: 1000,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  prediction_type: 'epsilon',
  timestep_spacing: 'leading',
  steps_offset: 1,
  set_alpha_to_one: false,
});
