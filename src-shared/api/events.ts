import { z } from 'zod';
import { engineInfoSchema, renderJobSchema, renderProgressSchema } from './model';

/** Events the services push to every connected UI. */
export const apiEvents = {
  /** Frequent (a few per second at most): the numbers of a running job. */
  'render.progress': renderProgressSchema,
  /** A job was added, changed state, finished or failed (the whole job). */
  'render.job': renderJobSchema,
  /** The engine process started, crashed or is restarting (with back-off). */
  'engine.status': engineInfoSchema,
} as const;

export type ApiEvents = typeof apiEvents;
export type ApiEventName = keyof ApiEvents;
export type ApiEventPayload<E extends ApiEventName> = z.output<ApiEvents[E]>;

export function isApiEvent(name: string): name is ApiEventName {
  return Object.prototype.hasOwnProperty.call(apiEvents, name);
}
