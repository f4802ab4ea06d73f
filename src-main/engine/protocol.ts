/**
 * Messages between the engine client (parent) and the engine process, validated with zod on both
 * sides. Typed arrays cross the boundary as-is (`serialization: 'advanced'` structured clone), so
 * poses and frames are never turned into JSON numbers.
 */
import { z } from 'zod';
import {
  DiffusionRequests,
  OpenDiffusionResultSchema,
  RenderDiffusionGroupResultSchema,
  RenderDiffusionResultSchema,
} from './diffusion/host/diffusionProtocol';
import { PUPPET_BACKGROUND_MODES } from '#shared/puppet/background';
import { PUPPET_QUALITIES } from '#shared/puppet/quality';
import { SETUP_PHASES } from '#shared/puppet/setupPhases';
import { PoseSchema } from './poseSchema';
import { LayerOverridesSchema } from '#shared/puppet/layerOverrides';
import {
  characterWarningSchema,
  maskSourceSchema,
  partLayerSchema,
  segmentationTimingSchema,
} from '#shared/api/characterMask';

const Pose = PoseSchema;

export const EngineOptions = z.object({
  providers: z.array(z.string().min(1)).optional(),
  threads: z.number().int().min(1).max(256).optional(),
  modelCacheDir: z.string().min(1).optional(),
  /** Create a session at start to learn which provider works (default true; diffusion-only engines skip it). */
  warmUp: z.boolean().optional(),
  /** Sessions (and diffusion generators) unused this long are released (default 5 minutes). */
  idleMs: z.number().int().min(100).optional(),
});
export type EngineOptions = z.infer<typeof EngineOptions>;

export { LayerOverridesSchema } from '#shared/puppet/layerOverrides';

export const SetupPayload = z.object({
  picturePath: z.string().min(1),
  referencePose: Pose,
  maskPath: z.string().min(1).optional(),
  /** 'plate' | 'transparent' | '#rrggbb' (the project's puppet background), or an RGB colour. */
  background: z
    .union([
      z.enum(PUPPET_BACKGROUND_MODES),
      z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb'),
      z.tuple([z.number(), z.number(), z.number()]),
    ])
    .optional(),
  layers: LayerOverridesSchema.optional(),
  quality: z.enum(PUPPET_QUALITIES).optional(),
});

/** Which extractor the engine runs: the built-in one, or DWPose from a pack folder. */
export const ExtractorChoiceSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('builtin') }),
  z.object({ name: z.literal('dwpose'), packDir: z.string().min(1) }),
]);
export const ExtractorSettings = z.object({
  extractor: ExtractorChoiceSchema,
  minScore: z.number().min(0).lt(1).optional(),
});

const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes are a Uint8Array');

/** A picture for extraction: a file the engine reads, or its encoded bytes (PNG/JPEG/WebP…). */
export const PictureSource = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ bytes: Bytes.refine((b) => b.length > 0, 'the picture bytes are empty') }).strict(),
]);

/** One decoded RGB frame of a video (the streaming variant: the parent decodes, we pose). */
export const RgbFrameSchema = z
  .object({
    width: z.number().int().positive().max(16384),
    height: z.number().int().positive().max(16384),
    data: Bytes,
  })
  .refine(
    (f) => f.data.length === f.width * f.height * 3,
    'frame data is width × height × 3 bytes',
  );

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
  z.object({
    id: z.number().int(),
    type: z.literal('extractPoses'),
    source: PictureSource,
    settings: ExtractorSettings,
    maxSide: z.number().int().min(64).max(8192).optional(),
  }),
  z.object({
    id: z.number().int(),
    type: z.literal('extractFramePoses'),
    frame: RgbFrameSchema,
    settings: ExtractorSettings,
    previousPeople: z.array(Pose).max(64).optional(),
  }),
  ...DiffusionRequests,
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
  /** Diffusion generators open in the engine and the ONNX Runtime sessions they hold. */
  diffusion: z.object({ generators: z.number().int(), sessions: z.number().int() }).optional(),
});

export const CharacterInfoSchema = z.object({
  characterId: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The whole setup, the segmentation model's load and run included. */
  setupMs: z.number(),
  /** Where the mask came from: user, alpha, flood-fill, segmentation or pose. */
  maskSource: maskSourceSchema,
  maskPixels: z.number().int().nonnegative(),
  /** What the user should fix, each with its fix (src-shared/puppet/characterWarnings.ts). */
  warnings: z.array(characterWarningSchema),
  /** The person-segmentation model's load and run time, when it ran. */
  segmentation: segmentationTimingSchema.optional(),
  /** Each bone's layer, in bone order. */
  layers: z.array(partLayerSchema),
  /** Where the setup's time went, phase by phase (the bench prints it). */
  phases: z
    .array(
      z.object({
        phase: z.enum(SETUP_PHASES),
        ms: z.number().nonnegative(),
        cpuMs: z.number().nonnegative(),
      }),
    )
    .optional(),
});

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/** A plane sent raw, or as runs of equal pixels (src-shared/image/pixelRuns.ts). */
const packedPixels = z.union([
  bytes,
  z.object({
    channels: z.number().int().min(1).max(4),
    pixels: z.number().int().nonnegative(),
    lengths: z.custom<Uint32Array>((v) => v instanceof Uint32Array, 'expected a Uint32Array'),
    values: bytes,
  }),
]);

/**
 * The engine's answer to `setupCharacter`: the info, plus the background plate frames patch. The
 * planes come packed (`packPixels`); the client unpacks and checks their sizes.
 */
export const CharacterSetupResultSchema = CharacterInfoSchema.extend({
  /** The background plate (width × height RGB): every frame is this plus its patch. */
  plate: packedPixels,
  /** The mask used (width × height, 1 = character). */
  mask: packedPixels,
  /** The part owning each pixel (width × height, bone index; 255 = background). */
  parts: packedPixels,
  /** The plate's alpha (width × height) when frames have a transparent background. */
  plateAlpha: packedPixels.optional(),
});

/** A puppet frame as the rectangle where it differs from the character's plate (framePatch.ts). */
export const FramePatchSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  box: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  data: bytes,
  alpha: bytes.optional(),
});

/** `cancelled`: the request was stopped by a `cancel` message (diffusion renders). */
export const ErrorKind = z.enum(['bad-input', 'model', 'internal', 'cancelled']);
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

export const ExtractPosesResultSchema = z.object({
  /** The picture's own size (EXIF orientation applied); points are in these pixels. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  people: z.array(Pose),
  extractor: z.string(),
  ms: z.number(),
});

export const ExtractFramePosesResultSchema = z.object({ people: z.array(Pose) });

export { ProgressSchema } from './diffusion/host/diffusionProtocol';

export const ResultSchemas = {
  info: EngineInfoSchema,
  setupCharacter: CharacterSetupResultSchema,
  renderPuppetFrames: z.object({ frames: z.array(FramePatchSchema) }),
  releaseCharacter: z.object({ released: z.boolean() }),
  extractPoses: ExtractPosesResultSchema,
  extractFramePoses: ExtractFramePosesResultSchema,
  openDiffusion: OpenDiffusionResultSchema,
  renderDiffusionSegment: RenderDiffusionResultSchema,
  renderDiffusionGroup: RenderDiffusionGroupResultSchema,
  closeDiffusion: z.object({ closed: z.boolean() }),
  cancel: z.object({ cancelled: z.boolean() }),
} as const;
