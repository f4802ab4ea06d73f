/**
 * The diffusion messages of the engine protocol (see ../../protocol.ts, which puts them in its
 * request union). Validated on both sides like every other message: the engine parses requests,
 * the client parses results. Typed arrays (poses, frames) cross as-is (structured clone).
 */
import { z } from 'zod';
import { DIFFUSION_SIZE_MULTIPLE } from '#shared/diffusion/outputSize';
import { SAMPLER_KINDS } from '#shared/diffusion/schedulers/createSampler';
import { CROSS_FRAME_MODES, REFERENCE_MODES } from '#shared/project/schema';
import { STICK_WIDTHS } from '#shared/pose/conditioning';
import { SEGMENT_ROLES } from '#shared/render/plan';
import { RENDER_STRATEGIES } from '#shared/render/strategy';
import { PoseSchema } from '#main/engine/poseSchema';

const MAX_SIDE = 4096;

/** Poses in output pixels; the engine's one pose schema (finite, bounded numbers). */
export const DiffusionPose = PoseSchema;

const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes are a Uint8Array');

export const DiffusionFrame = z
  .object({
    width: z.number().int().positive().max(MAX_SIDE),
    height: z.number().int().positive().max(MAX_SIDE),
    data: Bytes,
  })
  .refine(
    (f) => f.data.length === f.width * f.height * 3,
    'frame data is width × height × 3 bytes',
  );

const diffusionSide = (what: string) =>
  z
    .number()
    .int()
    .positive()
    .max(MAX_SIDE)
    .refine(
      (v) => v % DIFFUSION_SIZE_MULTIPLE === 0,
      `${what} must be a multiple of ${DIFFUSION_SIZE_MULTIPLE} (the SD UNet halves the latent three times)`,
    );

/** What every segment of one diffusion render shares (DiffusionWorkerSettings on the wire). */
export const DiffusionSettings = z.object({
  prompt: z.string(),
  negativePrompt: z.string().optional(),
  seed: z.number().int(),
  steps: z.number().int().min(1).max(1000),
  guidanceScale: z.number().min(0).max(100),
  conditioningScale: z.number().min(0).max(10).optional(),
  sampler: z.enum(SAMPLER_KINDS).optional(),
  crossFrame: z.enum(CROSS_FRAME_MODES).optional(),
  stickWidth: z.enum(STICK_WIDTHS).optional(),
  referenceMode: z.enum(REFERENCE_MODES).optional(),
  styleFidelity: z.number().min(0).max(1).optional(),
  referenceAdain: z.boolean().optional(),
  /** The memory budget in bytes (null/absent: off); see DiffusionWorkerSettings. */
  memoryBudgetBytes: z
    .number()
    .int()
    .positive()
    .max(2 ** 53)
    .nullable()
    .optional(),
});
export type DiffusionSettings = z.infer<typeof DiffusionSettings>;

/**
 * Opens (or joins) a diffusion generator for a pack in the engine and binds worker settings to it
 * under `diffusionId`. The reference picture is either a file the engine reads and fits onto the
 * output (aspect kept, centred on black — as the tests' in-process workers do) or an RGB image already at
 * the output size. `referencePose` is in output pixels either way.
 */
export const OpenDiffusionPayload = z
  .object({
    packDir: z.string().min(1),
    /** A separate ControlNet folder and a replacement UNet folder (pack in pieces). */
    controlNetPath: z.string().min(1).optional(),
    unetPath: z.string().min(1).optional(),
    /** Where reference banks are cached on disk (null/absent: memory only). */
    bankCacheDir: z.string().min(1).nullable().optional(),
    /** ONNX Runtime providers in order (CPU is always the last resort); default: the engine's. */
    executionProviders: z.array(z.string().min(1)).optional(),
    output: z.object({
      width: diffusionSide('output width'),
      height: diffusionSide('output height'),
    }),
    reference: z.union([
      z.object({ path: z.string().min(1) }).strict(),
      z.object({ image: DiffusionFrame }).strict(),
    ]),
    referencePose: DiffusionPose,
    settings: DiffusionSettings,
  })
  .refine(
    (p) =>
      !('image' in p.reference) ||
      (p.reference.image.width === p.output.width && p.reference.image.height === p.output.height),
    'reference.image must be at the output size',
  );
export type OpenDiffusionPayload = z.infer<typeof OpenDiffusionPayload>;

/** The scheduler's Segment (src-shared/render/plan.ts); unknown fields pass through. */
export const WireSegment = z.looseObject({
  index: z.number().int().min(0),
  role: z.enum(SEGMENT_ROLES),
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  anchorFrame: z.number().int(),
  after: z.array(z.number().int()),
  coupled: z.array(z.number().int()),
  inputHash: z.string(),
  hash: z.string(),
});

/** The scheduler's SegmentRequest with poses on the output canvas. */
export const DiffusionSegmentRequest = z
  .object({
    jobId: z.string(),
    segment: WireSegment,
    poses: z.array(DiffusionPose).min(1).max(4096),
    dependencies: z.array(z.array(DiffusionFrame)),
    /** The plan it belongs to (lets the generator tell a fused window from a chained one). */
    plan: z
      .object({
        strategy: z.enum(RENDER_STRATEGIES),
        segmentLength: z.number().int().min(1),
        segmentOverlap: z.number().int().min(0),
      })
      .optional(),
  })
  .refine(
    (r) => r.poses.length === r.segment.windowEnd - r.segment.windowStart,
    'one pose per frame of [segment.windowStart, segment.windowEnd)',
  );

export const DiffusionRequests = [
  z.object({
    id: z.number().int(),
    type: z.literal('openDiffusion'),
    diffusionId: z.string().min(1),
    open: OpenDiffusionPayload,
  }),
  z.object({
    id: z.number().int(),
    type: z.literal('renderDiffusionSegment'),
    diffusionId: z.string().min(1),
    request: DiffusionSegmentRequest,
  }),
  /** A fusion group (the segments of one `coupled` set, by index): denoised in one loop. */
  z.object({
    id: z.number().int(),
    type: z.literal('renderDiffusionGroup'),
    diffusionId: z.string().min(1),
    requests: z.array(DiffusionSegmentRequest).min(1).max(256),
  }),
  z.object({
    id: z.number().int(),
    type: z.literal('closeDiffusion'),
    diffusionId: z.string().min(1),
  }),
  /** Stops the request `target` between denoising steps (it answers with kind `cancelled`). */
  z.object({ id: z.number().int(), type: z.literal('cancel'), target: z.number().int() }),
] as const;

export const OpenDiffusionResultSchema = z.object({
  diffusionId: z.string(),
  /** The reference picture's own size (EXIF orientation applied) before fitting. */
  picture: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  /** Provider the generator's sessions run on, and why a preferred one was not used. */
  device: z.string(),
  fallbackReason: z.string().optional(),
  /** True when another diffusionId already had this pack's generator open (sessions shared). */
  shared: z.boolean(),
  openMs: z.number(),
});

export const RenderDiffusionResultSchema = z.object({
  frames: z.array(DiffusionFrame),
  /** ONNX Runtime runs this request made (text encoder, VAE, ControlNet, UNet). */
  modelRuns: z.number().int(),
  ms: z.number(),
});

export const RenderDiffusionGroupResultSchema = z.object({
  /** Each request's frames of [segment.start, segment.end), in request order. */
  groups: z.array(z.array(DiffusionFrame)),
  modelRuns: z.number().int(),
  ms: z.number(),
});

/** Sent by the engine while a long request works (keeps the client's stall timer from firing). */
export const ProgressSchema = z.object({
  id: z.number().int(),
  progress: z.object({ modelRuns: z.number().int() }),
});
