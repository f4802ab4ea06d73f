import { z } from 'zod';
import { engineInfoSchema, renderJobSchema, renderProgressSchema } from './model';

/** What the desktop menus ask of the UI (menus live in main, views in the renderer). */
export const uiCommands = [
  'show-projects',
  'show-character',
  'show-editor',
  'show-render',
  'show-settings',
  'start-render',
] as const;
export type UiCommand = (typeof uiCommands)[number];

/** Events the services push to every connected UI. */
export const apiEvents = {
  /** Frequent (a few per second at most): the numbers of a running job. */
  'render.progress': renderProgressSchema,
  /** A job was added, changed state, finished or failed (the whole job). */
  'render.job': renderJobSchema,
  /** The engine process started, crashed or is restarting (with back-off). */
  'engine.status': engineInfoSchema,
  /** A menu item or shortcut of the desktop shell asks the UI to do something. */
  'ui.command': z.object({ command: z.enum(uiCommands) }),
} as const;

export type ApiEvents = typeof apiEvents;
export type ApiEventName = keyof ApiEvents;
export type ApiEventPayload<E extends ApiEventName> = z.output<ApiEvents[E]>;
