/**
 * Messages between the engine client (parent) and the engine process, validated with zod on both
 * sides. Typed arrays cross the boundary as-is (`serialization: 'advanced'` structured clone), so
 * poses and frames are never turned into JSON numbers.
 */
import { z } from 'zod';
import { POINTS_LENGTH } from '../../src-shared/pose/types';

const Pose = z
  .custom<Float64Array>((v) => v instanceof Float64Array, 'a pose is a Float64Array')
  .refine(
    (a) => a.length === POINTS_LENGTH,
    `a pose has ${POINTS_LENGTH} numbers (136 points × 3)`,
  );

export const EngineOptions = z.object({
  providers: z.array(z.string().min(1)).optional(),
  threads: z.number().int().min(1).max(256).optional(),
  modelCacheDir: z.string().min(1).optional(),
});
export type EngineOptions = z.infer<typeof EngineOptions>;

export const SetupPayload = z.object({
  picturePath: z.string().min(1),
  referencePose: Pose,
  maskPath: z.string().min(1).optional(),
  background: z.tuple([z.number(), z.number(), z.number()]).optional(),
  layers: z.record(z.string(), z.number()).optional(),
  quality: z.enum(['smooth', 'fast']).optional(),
});

export const Request = z.discriminatedUnion('type', [
  z.object({ id: z.number().int(), type: z.literal('info') }),
  z.object({
    id: z.number().int(),
    type: z.literal('setupCharacter'),
    characterId: z.string().min(1),
    setup: SetupPayload,
  }),
  z.object({
    id: z.number().int(),
    type: z.literal('renderPuppetFrames'),
    characterId: z.string().min(1),
    poses: z.array(Pose).min(1).max(1024),
  }),
  z.object({ id: z.number().int(), type: z.literal('releaseCharacter'), characterId: z.string() }),
]);
export type Request = z.infer<typeof Request>;
/** A request before the client assigns its id. */
export type RequestBody = Request extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

export const EngineInfoSchema = z.object({
  pid: z.number().int(),
  providers: z.array(z.string()),
  available: z.array(z.string()),
  device: z.string(),
  threads: z.number().int(),
  fallbackReason: z.string().optional(),
  rssBytes: z.number().optional(),
});

export const CharacterInfoSchema = z.object({
  characterId: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  setupMs: z.number(),
  warnings: z.array(z.string()),
});

export const FrameSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'frame data is a Uint8Array'),
});

export const ErrorKind = z.enum(['bad-input', 'model', 'internal']);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const Response = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ message: z.string(), kind: ErrorKind }),
  }),
]);
export type Response = z.infer<typeof Response>;

/** Sent once by the engine process when it is ready (or failed to start). */
export const Hello = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), info: EngineInfoSchema }),
  z.object({ type: z.literal('startFailed'), message: z.string() }),
]);

export const ResultSchemas = {
  info: EngineInfoSchema,
  setupCharacter: CharacterInfoSchema,
  renderPuppetFrames: z.object({ frames: z.array(FrameSchema) }),
  releaseCharacter: z.object({ released: z.boolean() }),
} as const;
