import { z } from 'zod';
import { projectSummarySchema } from './model';

/**
 * "Open sample" on the Projects view: the shipped Sprout project copied into a new folder and
 * opened. The copy never reuses a folder that has something in it (the user's work is never
 * overwritten); without a folder the service picks a new one under the user's documents.
 */
export const openSampleMethods = {
  /** Where the sample would be copied if the user does not choose (a folder that does not exist). */
  'projects.sampleFolder': {
    params: z.object({}).strict(),
    result: z.object({ folder: z.string() }),
  },
  'projects.openSample': {
    params: z.object({ folder: z.string().min(1).max(4096).optional() }).strict(),
    result: projectSummarySchema,
  },
} as const;
