import { z } from 'zod';
import { farmStatusSchema } from './farm';
import { DIFFUSION_SIZE_MULTIPLE } from '#shared/diffusion/outputSize';
import {
  MAX_CANVAS_SIDE,
  MAX_FPS,
  MAX_FRAME,
  MAX_OUTPUT_SIDE,
  MAX_OVERLAP,
  MAX_SEGMENT_LENGTH,
  MIN_FPS,
} from '#shared/project/limits';
import { DiffusionParamsSchema, OUTPUT_FORMATS, PuppetParamsSchema } from '#shared/project/schema';
import { SEGMENT_STATES } from '#shared/editor/editorState';
import { SEGMENT_ROLES } from '#shared/render/plan';
import { RENDER_STRATEGIES } from '#shared/render/strategy';
import { RENDER_STARTUP_STEPS } from '#shared/render/progress';
import { SEGMENT_STRIP_MAX_CELLS, SEGMENT_STRIP_PATTERN } from '#shared/render/segmentStrip';

/**
 * The shapes the studio's UI sees. They are views over the project format and the render jobs,
 * kept deliberately small so the UI does not depend on how a project is stored on disk.
 * Paths the UI shows as pictures or videos are *project-relative media paths*; each transport
 * turns them into a URL (`pose-studio-media://` in Electron, `/media/` in browser mode).
 */

export const mediaPathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a path inside the project (no "..", not absolute)',
  });

export const canvasSizeSchema = z.object({
  width: z.number().int().min(16).max(MAX_CANVAS_SIDE),
  height: z.number().int().min(16).max(MAX_CANVAS_SIDE),
});

/** Frames per second a request may ask for: the project format's range. */
export const fpsSchema = z.number().min(MIN_FPS).max(MAX_FPS);

export const projectSummarySchema = z.object({
  /** Folder of the project on the host running the services. */
  path: z.string(),
  name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number().positive(),
  /** Length of the pose track in frames. */
  frameCount: z.number().int().nonnegative(),
  people: z.number().int().nonnegative(),
  keyframes: z.number().int().nonnegative(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const jointSchema = z.object({
  index: z.number().int().min(0).max(135),
  name: z.string(),
  x: z.number(),
  y: z.number(),
  /** 0 = missing */
  confidence: z.number(),
});
export type Joint = z.infer<typeof jointSchema>;

export const characterSchema = z.object({
  name: z.string(),
  /** The reference picture, or null when none has been imported yet. */
  picture: mediaPathSchema.nullable(),
  pictureWidth: z.number().int().nonnegative(),
  pictureHeight: z.number().int().nonnegative(),
  /** Foreground mask of the picture (white = character), if the project has one. */
  mask: mediaPathSchema.nullable(),
  /** The character's own skeleton (rest pose) on the picture, body joints first. */
  joints: z.array(jointSchema),
});
export type Character = z.infer<typeof characterSchema>;

export const generators = ['puppet', 'diffusion'] as const;

const diffusionParams = DiffusionParamsSchema.shape;

/**
 * The diffusion generator's parameters besides the pack, as the render settings carry them: the
 * project schema's own fields and bounds (`generator.params` in project.json), without its
 * defaults — the block is always complete, so applying it replaces the project's parameters.
 * `seed` left out = the project's render seed (`render.seed`).
 */
export const diffusionSettingsSchema = z.strictObject({
  prompt: diffusionParams.prompt.unwrap(),
  negativePrompt: diffusionParams.negativePrompt.unwrap(),
  steps: diffusionParams.steps.unwrap(),
  guidance: diffusionParams.guidance.unwrap(),
  controlnetScale: diffusionParams.controlnetScale.unwrap(),
  controlNetPath: diffusionParams.controlNetPath,
  unetPath: diffusionParams.unetPath,
  seed: diffusionParams.seed,
  crossFrame: diffusionParams.crossFrame.unwrap(),
  stickWidth: diffusionParams.stickWidth.unwrap(),
  referenceMode: diffusionParams.referenceMode.unwrap(),
  styleFidelity: diffusionParams.styleFidelity.unwrap(),
  referenceAdain: diffusionParams.referenceAdain.unwrap(),
});
export type DiffusionSettings = z.infer<typeof diffusionSettingsSchema>;
export const crossFrameModes = diffusionParams.crossFrame.unwrap().options;
export const stickWidths = diffusionParams.stickWidth.unwrap().options;
export const referenceModes = diffusionParams.referenceMode.unwrap().options;

/** The project format's defaults (what a new diffusion project gets), for a form to start from. */
export function defaultDiffusionSettings(): DiffusionSettings {
  const { pack: _pack, ...params } = DiffusionParamsSchema.parse({ pack: '-' });
  return params;
}

export const renderSettingsSchema = z
  .object({
    generator: z.enum(generators),
    width: z.number().int().min(16).max(MAX_OUTPUT_SIDE),
    height: z.number().int().min(16).max(MAX_OUTPUT_SIDE),
    fps: fpsSchema,
    from: z.number().int().nonnegative().max(MAX_FRAME),
    /** First frame NOT rendered: the range is [from, to), as in the project format. */
    to: z.number().int().positive().max(MAX_FRAME),
    segmentLength: z.number().int().min(1).max(MAX_SEGMENT_LENGTH),
    segmentOverlap: z.number().int().min(0).max(MAX_OVERLAP),
    strategy: z.enum(RENDER_STRATEGIES),
    format: z.enum(OUTPUT_FORMATS),
    /**
     * Puppet only: what shows where the character is not — the project's
     * `generator.params.background` ('plate', 'transparent' or '#rrggbb'). Left out when applying:
     * the project's value is kept.
     */
    background: PuppetParamsSchema.shape.background.unwrap().optional(),
    /** Diffusion only: the model pack (a folder path, or a folder name under the pack folders). */
    pack: z.string().min(1).max(4096).optional(),
    /**
     * Diffusion only: prompt, steps & co. `render.defaults` returns the project's values for a
     * diffusion project. Left out when applying, the project's current values are kept (e.g. only
     * the pack changed). Ignored by the puppet: a form can carry it across a generator switch.
     */
    diffusion: diffusionSettingsSchema.optional(),
  })
  .strict()
  .refine((s) => s.to > s.from, { message: '"to" must be after "from"', path: ['to'] })
  .refine((s) => s.generator !== 'diffusion' || s.pack !== undefined, {
    message: 'the diffusion generator needs a model pack',
    path: ['pack'],
  })
  .refine((s) => s.generator !== 'diffusion' || s.width % DIFFUSION_SIZE_MULTIPLE === 0, {
    message: `Stable Diffusion needs a multiple of ${DIFFUSION_SIZE_MULTIPLE}`,
    path: ['width'],
  })
  .refine((s) => s.generator !== 'diffusion' || s.height % DIFFUSION_SIZE_MULTIPLE === 0, {
    message: `Stable Diffusion needs a multiple of ${DIFFUSION_SIZE_MULTIPLE}`,
    path: ['height'],
  })
  .refine((s) => s.segmentOverlap < s.segmentLength, {
    message: 'overlap must be shorter than the segment length',
    path: ['segmentOverlap'],
  });
export type RenderSettings = z.infer<typeof renderSettingsSchema>;

/**
 * A settings form's text for one problem the contract found, from the issue's own data: bounds
 * as "must be at least 1" (the schema's numbers, not a copy of them), else the schema's message.
 * (Bounds are rebuilt because a number schema's own error text, e.g. the project format's
 * "must be a finite number", also replaces its min/max messages.)
 */
export function settingsIssueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const small = issue.code === 'too_small';
    const bound = Number(small ? issue.minimum : issue.maximum);
    const inclusive = issue.inclusive !== false;
    if (issue.origin === 'string')
      return small
        ? bound <= 1
          ? 'must not be empty'
          : `must be at least ${bound} characters`
        : `must be at most ${bound} characters`;
    if (issue.origin === 'number')
      return `must be ${small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than'} ${bound}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  return issue.message;
}

/** The first problem per field of render settings, keyed by the field's path ("diffusion.steps"). */
export function renderSettingsProblems(settings: unknown): Map<string, string> {
  const check = renderSettingsSchema.safeParse(settings);
  const problems = new Map<string, string>();
  for (const issue of check.error?.issues ?? []) {
    const key = issue.path.join('.');
    if (!problems.has(key)) problems.set(key, settingsIssueText(issue));
  }
  return problems;
}

export const renderStages = [
  'queued',
  'planning',
  'rendering',
  'encoding',
  'paused',
  'done',
  'failed',
  'cancelled',
] as const;
export type RenderStage = (typeof renderStages)[number];

/** Whether a job in this stage renders nothing more (it may still be closing its engines). */
export function renderEnded(stage: string): boolean {
  return stage === 'done' || stage === 'failed' || stage === 'cancelled';
}

export const renderProgressSchema = z.object({
  jobId: z.string(),
  stage: z.enum(renderStages),
  framesDone: z.number().int().nonnegative(),
  framesTotal: z.number().int().nonnegative(),
  framesPerSecond: z.number().nonnegative(),
  /** Seconds left, null while unknown. */
  etaSeconds: z.number().nonnegative().nullable(),
  segmentIndex: z.number().int().nonnegative().nullable(),
  segmentCount: z.number().int().nonnegative(),
  /** Small JPEG/PNG data URL of the last finished frame. */
  thumbnail: z.string().nullable(),
  /** Where each segment is: one letter per cell, q queued, r rendering, d done, c cached. */
  segments: z.string().max(SEGMENT_STRIP_MAX_CELLS).regex(SEGMENT_STRIP_PATTERN).optional(),
  /** Before the first frame: the start-up step and its count ("Starting engines (1/2)…"). */
  startup: z
    .object({
      step: z.enum(RENDER_STARTUP_STEPS),
      ready: z.number().int().nonnegative().max(1024),
      total: z.number().int().nonnegative().max(1024),
      elapsedMs: z.number().nonnegative().max(1e10),
    })
    .nullable()
    .optional(),
});
export type RenderProgress = z.infer<typeof renderProgressSchema>;

export const renderJobSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  settings: renderSettingsSchema,
  progress: renderProgressSchema,
  /** The finished output (media path) once the job is done. */
  output: mediaPathSchema.nullable(),
  /** Folder of the job on the host. */
  folder: z.string(),
  error: z.object({ message: z.string(), hint: z.string().optional() }).nullable(),
  /**
   * What happened on the way, oldest first, for the job's log: engine restarts (a segment
   * rendered again after its engine process died). At most 50 lines (the last ones).
   */
  log: z.array(z.string().max(2000)).max(50).optional(),
  /** Set while (and after) the job renders on the render farm: its workers and their lanes. */
  farm: farmStatusSchema.nullable().optional(),
  /** Diffusion: the peak memory estimated before the render and the UNet split under the budget. */
  memory: z.string().max(2000).optional(),
});
export type RenderJob = z.infer<typeof renderJobSchema>;

export const executionProviderSchema = z.object({
  /** onnxruntime-node's name: cpu, cuda, dml, coreml, webgpu, … */
  name: z.string(),
  available: z.boolean(),
  note: z.string().optional(),
});
export const engineInfoSchema = z.object({
  state: z.enum(['running', 'starting', 'restarting', 'crashed', 'not-started']),
  providers: z.array(executionProviderSchema),
  /** The provider renders use with the current preference. */
  selected: z.string(),
  ortVersion: z.string(),
  message: z.string().optional(),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

/** Where the studio runs: the desktop app, or a browser over `pose-studio serve`. */
export const APP_MODES = ['electron', 'browser'] as const;
export type AppMode = (typeof APP_MODES)[number];

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(APP_MODES),
  platform: z.string(),
  /** Which services are real in this build; the UI disables what is missing. */
  services: z.object({ projects: z.boolean(), render: z.boolean(), engine: z.boolean() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** One segment of the render plan for the project's current settings, with its state. */
export const planSegmentSchema = z.object({
  index: z.number().int().nonnegative(),
  role: z.enum(SEGMENT_ROLES),
  /** Frames the generator works on: [windowStart, windowEnd). */
  windowStart: z.number().int().nonnegative(),
  windowEnd: z.number().int().nonnegative(),
  /** Frames it delivers: [start, end). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** cached = in the segment cache with this hash; stale = not; rendering/done = the active job. */
  state: z.enum(SEGMENT_STATES),
});
export const renderPlanSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  segments: z.array(planSegmentSchema),
});
export type RenderPlanView = z.infer<typeof renderPlanSchema>;

/** Frames around a segment boundary rendered with the fast generator, as small JPEG data URLs. */
export const transitionPreviewSchema = z.object({
  boundary: z.number().int().nonnegative(),
  /** First frame rendered; frames are [from, from + frames.length). */
  from: z.number().int().nonnegative(),
  fps: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  frames: z.array(z.string().startsWith('data:image/jpeg;base64,')),
  renderMs: z.number().nonnegative(),
});
export type TransitionPreview = z.infer<typeof transitionPreviewSchema>;
