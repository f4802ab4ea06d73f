/**
 * `project.json`, format version 2: the zod schema every process validates a project with, and
 * the types inferred from it. Cross-field rules (sorted keyframes, ids that must exist, overlap <
 * segment length …) live in `rules.ts` and run after the shape is right.
 *
 * Conventions: sizes in pixels, frames are whole numbers counted from 0 at the track's/output's
 * fps, the output frame range is half-open `[from, to)`, paths are relative to the project folder.
 * Fields with defaults may be left out of a hand-written file; saved files always contain them.
 */
import { STICK_WIDTHS } from '#shared/pose/conditioning';
import { z } from 'zod';
import { POINTS_LENGTH } from '#shared/pose/types';
import { RENDER_STRATEGIES } from '#shared/render/strategy';
import { LayerOverridesSchema } from '#shared/puppet/layerOverrides';
import { checkProjectPath } from './paths';
import {
  MAX_CANVAS_SIDE,
  MAX_CHARACTERS,
  MAX_FPS,
  MAX_FRAME,
  MAX_ID_LENGTH,
  MAX_KEYFRAMES,
  MAX_NAME_LENGTH,
  MAX_OUTPUT_SIDE,
  MAX_OVERLAP,
  MAX_PEOPLE,
  MAX_PICTURE_SIDE,
  MAX_PROMPT_LENGTH,
  MAX_REFERENCE_FRAMES,
  MAX_SEGMENT_LENGTH,
  MAX_TRACKS,
  MIN_FPS,
  pointsProblem,
} from './limits';

export const PROJECT_VERSION = 2;

/**
 * A list of at most `max` elements, its length checked *before* its elements: zod walks every
 * element first and gathers their issues with `push(...issues)`, which overflows the stack for a
 * few hundred thousand bad elements; a list that is too long is refused without being walked.
 */
function boundedArray<T extends z.ZodType>(element: T, max: number, what: string) {
  return z
    .custom<unknown[]>((v) => !Array.isArray(v) || v.length <= max, {
      error: (issue) =>
        `must have at most ${max.toLocaleString('en-US')} ${what}, not ${(issue.input as unknown[]).length.toLocaleString('en-US')}`,
    })
    .pipe(z.array(element));
}

/** A name shown to people. */
const name = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "-" and "_"');

/** A path inside the project folder, normalised to forward slashes (see `paths.ts`). */
export const ProjectPathSchema = z.string().transform((input, ctx) => {
  const r = checkProjectPath(input);
  if (!r.ok) {
    // The path as written, cut: a 100,000-character path must not flood the one-line error.
    const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
    ctx.addIssue({ code: 'custom', message: `path "${shown}" ${r.reason}` });
    return z.NEVER;
  }
  return r.path;
});

// The custom text only for values that are not numbers (NaN, ±Infinity, strings): a number out of
// range keeps zod's own "too big / too small" message, which says what the bound is.
const finite = () =>
  z.number({
    error: (issue) => (issue.code === 'invalid_type' ? 'must be a finite number' : undefined),
  });

/**
 * One person's 136 points as `[x0, y0, c0, …]` (408 numbers), pixels; c = 0 means missing.
 * Checked in one loop rather than element by element through zod: a long project holds
 * millions of these numbers, and this keeps loading it about twice as fast. Coordinates are
 * bounded by `canvas` when given; a keyframe's canvas is its track's, which `rules.ts` checks.
 */
const points = (canvas?: { side: number; text: string }) =>
  z
    .custom<number[]>((v) => Array.isArray(v), {
      error: `must be a list of ${POINTS_LENGTH} numbers (136 points × x, y, confidence)`,
    })
    .superRefine((list, ctx) => {
      if (list.length !== POINTS_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          message: `must have ${POINTS_LENGTH} numbers (136 points × x, y, confidence), not ${list.length}`,
        });
        return;
      }
      // One bad number is enough to name; the rest are usually as bad.
      const problem = canvas
        ? pointsProblem(list, canvas.side, canvas.side, canvas.text)
        : pointsProblem(list, Infinity, Infinity);
      if (problem)
        ctx.addIssue({ code: 'custom', path: [problem.index], message: problem.message });
    });

/** Points on a track's canvas (range checked against that canvas in `rules.ts`). */
export const PointsSchema = points();
/** Points on a character's picture, whose size the schema does not know: the largest picture. */
export const PicturePointsSchema = points({
  side: MAX_PICTURE_SIDE,
  text: `the largest picture (${MAX_PICTURE_SIDE}×${MAX_PICTURE_SIDE})`,
});

const side = (max: number) =>
  finite()
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .int('must be a whole number of pixels');
const fps = () =>
  finite()
    .min(MIN_FPS, `must be at least ${MIN_FPS} frame per second`)
    .max(MAX_FPS, `must be at most ${MAX_FPS} frames per second`);
const frame = () =>
  finite()
    .min(0, 'must be 0 or more')
    .max(MAX_FRAME, `must be at most ${MAX_FRAME}`)
    .int('must be a whole frame number');
const unit = () => finite().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

export const EasingSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('hold') }),
    z.strictObject({ kind: z.literal('linear') }),
    z.strictObject({
      kind: z.literal('bezier'),
      x1: unit(),
      y1: finite(),
      x2: unit(),
      y2: finite(),
    }),
  ],
  { error: 'must be {kind: "hold"}, {kind: "linear"} or {kind: "bezier", x1, y1, x2, y2}' },
);

export const KeyframeSchema = z.strictObject({
  id: IdSchema,
  frame: frame(),
  points: PointsSchema,
  /** How the pose leaves this keyframe towards the next one. */
  easing: EasingSchema.prefault({ kind: 'linear' }),
});

export const PersonLaneSchema = z.strictObject({
  /** Stable person id within the track (OpenPose `person_id`, tracker id). */
  personId: finite()
    .min(0, 'must be 0 or more')
    .max(MAX_FRAME, `must be at most ${MAX_FRAME}`)
    .int('must be a whole number'),
  name: z.string().max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`).optional(),
  /** Sorted by frame, at most one per frame. */
  keyframes: boundedArray(KeyframeSchema, MAX_KEYFRAMES, 'keyframes').default([]),
});

export const TrackSchema = z.strictObject({
  id: IdSchema,
  name: name(),
  /** Canvas the points are in (pixels). */
  width: side(MAX_CANVAS_SIDE),
  height: side(MAX_CANVAS_SIDE),
  /** Frames per second the keyframes were authored at. */
  fps: fps().default(24),
  people: boundedArray(PersonLaneSchema, MAX_PEOPLE, 'people').default([]),
});

export const ReferenceFrameSchema = z.strictObject({
  picture: ProjectPathSchema,
  /** The pose of this picture, in its pixels. */
  pose: PicturePointsSchema,
  mask: ProjectPathSchema.optional(),
});

export const CharacterSchema = z.strictObject({
  id: IdSchema,
  name: name(),
  /** The reference picture, normally under `assets/`. */
  picture: ProjectPathSchema,
  /** The picture's pose: one person, in picture pixels. */
  referencePose: PicturePointsSchema,
  /**
   * Optional foreground mask (white = character); otherwise the puppet makes one (alpha, flood
   * fill, the person-segmentation model, or the pose).
   */
  mask: ProjectPathSchema.optional(),
  /** The user's layer per part (bone name → layer, higher = nearer) over the pose's order. */
  layers: LayerOverridesSchema.optional(),
  /** A few more frames of the same character (e.g. from a short clip), each with its pose. */
  referenceFrames: boundedArray(ReferenceFrameSchema, MAX_REFERENCE_FRAMES, 'frames').default([]),
});

export const OUTPUT_FORMATS = ['mp4', 'webm', 'prores', 'png', 'gif'] as const;

export const OutputSchema = z.strictObject({
  width: side(MAX_OUTPUT_SIDE).default(512),
  height: side(MAX_OUTPUT_SIDE).default(512),
  fps: fps().default(24),
  /** Frames `from` (included) up to `to` (excluded), at the output fps. */
  range: z.strictObject({ from: frame().default(0), to: frame().default(120) }).prefault({}),
  format: z.enum(OUTPUT_FORMATS).default('mp4'),
  /** Audio copied into the video (a file inside the project, e.g. the driving clip). */
  audio: ProjectPathSchema.optional(),
});

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be "plate", "transparent" or #rrggbb');

export const PuppetParamsSchema = z.strictObject({
  /** What fills the picture where the character was: the inpainted plate, nothing, or a colour. */
  background: z.union([z.enum(['plate', 'transparent']), hexColor]).default('plate'),
});

/** Cross-frame attention modes of the diffusion generator (see `DiffusionParamsSchema.crossFrame`). */
export const CROSS_FRAME_MODES = ['off', 'previous'] as const;
export type CrossFrameMode = (typeof CROSS_FRAME_MODES)[number];

/**
 * Where the reference bank comes from (see `DiffusionParamsSchema.referenceMode`): `clean` —
 * ReferenceNet style, the clean reference latent once per render; `noised` — reference-only
 * style, the reference noised to each step's level (seeded), one writer pass per step.
 */
export const REFERENCE_MODES = ['clean', 'noised'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

export const DiffusionParamsSchema = z.strictObject({
  /** Model pack id (folder name under the model pack folders). */
  pack: z
    .string()
    .min(1, 'must name a model pack')
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`),
  steps: finite().min(1).max(1000).int('must be a whole number').default(25),
  guidance: finite().min(0).max(50).default(7.5),
  /** Overrides `render.seed` for the noise when set. */
  seed: finite().min(0).max(0xffffffff).int('must be a whole number').optional(),
  prompt: z.string().max(MAX_PROMPT_LENGTH).default(''),
  negativePrompt: z.string().max(MAX_PROMPT_LENGTH).default(''),
  controlnetScale: finite().min(0).max(4).default(1),
  /**
   * A separately downloaded ControlNet (folder: absolute, relative to the project, or a name under
   * the model pack folders); replaces the pack's own `controlnet/`.
   */
  controlNetPath: z
    .string()
    .min(1, 'must name a folder')
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`)
    .optional(),
  /** A replacement UNet (e.g. a ControlNet-aware or optimised download), found like controlNetPath. */
  unetPath: z
    .string()
    .min(1, 'must name a folder')
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`)
    .optional(),
  /**
   * Cross-frame attention: `previous` lets every frame of a window also attend to the previous
   * frame's keys and values (temporal consistency with an image UNet; `fused` groups then continue
   * from the previous group's frames). `off`: frames are generated independently of each other.
   */
  crossFrame: z.enum(CROSS_FRAME_MODES).default('off'),
  /**
   * Limb thickness of the OpenPose conditioning image, as the pack's ControlNet was trained:
   * `classic` (SD1.5 OpenPose ControlNets: the ControlNet annotator, stick width 4 at any size) or
   * `high-resolution` (xinsir's rule for the SDXL pose models: thicker on large canvases).
   */
  stickWidth: z.enum(STICK_WIDTHS).default('classic'),
  /** Reference bank from the clean reference once (`clean`) or per step from it noised (`noised`). */
  referenceMode: z.enum(REFERENCE_MODES).default('clean'),
  /**
   * Style fidelity 0…1 (diffusers' reference-only `style_fidelity`): with guidance, the
   * unconditional half mixes plain self-attention (× s) with reference attention (× (1 − s)), so
   * guidance pushes further towards the reference. 0: reference attention everywhere (as before).
   */
  styleFidelity: finite().min(0).max(1).default(0),
  /** AdaIN of each step's predicted clean latent to the reference latent's per-channel statistics. */
  referenceAdain: z.boolean().default(false),
});

export const GeneratorSchema = z
  .discriminatedUnion(
    'id',
    [
      z.strictObject({ id: z.literal('puppet'), params: PuppetParamsSchema.prefault({}) }),
      z.strictObject({ id: z.literal('diffusion'), params: DiffusionParamsSchema }),
    ],
    { error: 'must be "puppet" or "diffusion"' },
  )
  .prefault({ id: 'puppet' });

export const RenderSchema = z.strictObject({
  /** Frames per segment (window length T): the unit of scheduling, caching and resume. */
  segmentLength: finite()
    .min(1)
    .max(MAX_SEGMENT_LENGTH, `must be at most ${MAX_SEGMENT_LENGTH} frames`)
    .int('must be a whole number')
    .default(24),
  /** Frames shared by neighbouring windows (O); must be less than `segmentLength`. */
  segmentOverlap: finite()
    .min(0)
    .max(MAX_OVERLAP, `must be at most ${MAX_OVERLAP} frames`)
    .int('must be a whole number')
    .default(0),
  strategy: z.enum(RENDER_STRATEGIES).default('independent'),
  seed: finite().min(0).max(0xffffffff).int('must be a whole number').default(0),
  /** The character that is animated; must name one of `characters`. */
  characterId: IdSchema.optional(),
  /** The pose track that drives it; must name one of `tracks`. */
  trackId: IdSchema.optional(),
});

/**
 * The shape of a project file. Rules that span fields (unique ids, references, output size) are
 * not here: `validateProject` / `parseProject` (parse.ts) add them, so read files through those.
 */
export const ProjectSchema = z.strictObject({
  version: z.literal(PROJECT_VERSION),
  name: name().default('Untitled'),
  characters: boundedArray(CharacterSchema, MAX_CHARACTERS, 'characters').default([]),
  tracks: boundedArray(TrackSchema, MAX_TRACKS, 'tracks').default([]),
  output: OutputSchema.prefault({}),
  generator: GeneratorSchema,
  render: RenderSchema.prefault({}),
});

export type Project = z.output<typeof ProjectSchema>;
/** What a hand-written file may contain (defaults left out). */
export type ProjectInput = z.input<typeof ProjectSchema>;
export type CharacterJson = z.output<typeof CharacterSchema>;
export type ReferenceFrameJson = z.output<typeof ReferenceFrameSchema>;
export type TrackJson = z.output<typeof TrackSchema>;
export type PersonLaneJson = z.output<typeof PersonLaneSchema>;
export type KeyframeJson = z.output<typeof KeyframeSchema>;
export type EasingJson = z.output<typeof EasingSchema>;
export type OutputSettings = z.output<typeof OutputSchema>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type GeneratorSettings = z.output<typeof GeneratorSchema>;
export type PuppetParams = z.output<typeof PuppetParamsSchema>;
export type DiffusionParams = z.output<typeof DiffusionParamsSchema>;
export type RenderSettings = z.output<typeof RenderSchema>;
