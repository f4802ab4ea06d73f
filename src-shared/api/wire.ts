import { z } from 'zod';
import { ApiError, apiErrorCodes, describeIssues } from './errors';

export const apiErrorSchema = z.object({
  code: z.enum(apiErrorCodes),
  message: z.string(),
  hint: z.string().optional(),
});

/**
 * Frames of the WebSocket transport (JSON text). The IPC transport needs none of this: Electron
 * pairs requests and replies itself, so it carries the same `method` + `params` directly.
 */
export const callFrameSchema = z
  .object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(100),
    params: z.unknown().optional(),
  })
  .strict();
export type CallFrame = z.infer<typeof callFrameSchema>;

export const resultFrameSchema = z.object({
  type: z.literal('result'),
  id: z.number().int().nonnegative(),
  result: z.unknown(),
});
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  /** null when the frame could not even be read far enough to know its id. */
  id: z.number().int().nonnegative().nullable(),
  error: apiErrorSchema,
});
export const eventFrameSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});
export const hostFrameSchema = z.discriminatedUnion('type', [
  resultFrameSchema,
  errorFrameSchema,
  eventFrameSchema,
]);
export type HostFrame = z.infer<typeof hostFrameSchema>;

/** The frame limit lives with the picture limit it is derived from. */
export { CLOSE_TOO_BIG, MAX_FRAME_BYTES } from './sizeLimits';

/** Parses a text frame from a client, throwing a `bad-request` ApiError that says what is wrong. */
export function parseCallFrame(text: string): CallFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', 'message is not valid JSON');
  }
  const r = callFrameSchema.safeParse(json);
  if (!r.success)
    throw new ApiError('bad-request', `bad message: ${describeIssues(r.error.issues, 'message')}`);
  return r.data;
}

/** Best effort id of a frame that failed validation, so the client can fail the right call. */
export function idOf(text: string): number | null {
  try {
    const j = JSON.parse(text) as { id?: unknown };
    return typeof j.id === 'number' && Number.isInteger(j.id) && j.id >= 0 ? j.id : null;
  } catch {
    return null;
  }
}
