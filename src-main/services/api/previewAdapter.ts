import sharp from 'sharp';
import {
  ApiError,
  type RenderJob,
  type RenderPlanView,
  type TransitionPreview,
} from '#shared/api/index';
import type { RgbImage } from '#shared/image/rgbImage';
import { fitFrame } from '#shared/render/fitFrame';
import type {
  CharacterInfo,
  CharacterLayers,
  CharacterSetup,
} from '#main/engine/client/engineClient';
import type { CharacterMaskView } from '#shared/api/characterMask';
import { characterMaskView } from './characterMaskView';
import { EngineRequestError } from '#main/engine/client/errors';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender, type ProjectRender } from '#main/scheduler/job/projectRender';
import { planFor } from '#main/scheduler/job/renderJob';
import type { PreviewPort, ProjectSession, TransitionPreviewRequest } from './ports';
import { projectApiError } from './projectAdapter';

/** The part of the engine client a preview needs (tests can pass a real EngineClient). */
export interface PreviewEngine {
  setupCharacter(setup: CharacterSetup): Promise<{ characterId: string }>;
  /** The mask and part map of a character set up here (the real EngineClient has it). */
  characterLayers?(characterId: string): CharacterLayers | undefined;
  renderPuppetFrames(req: { characterId: string; poses: Float64Array[] }): Promise<RgbImage[]>;
  releaseCharacter(characterId: string): Promise<void>;
  close(): Promise<void>;
}

export interface PreviewAdapterDeps {
  /** Starts the preview engine (once; it is reused for every preview until `close`). */
  startEngine(): Promise<PreviewEngine>;
  /** Model pack folders of the settings (a diffusion project's plan hashes its pack, as renders do). */
  packFolders?: () => readonly string[];
}

export const PREVIEW_DEFAULTS = { before: 12, after: 12, width: 320 } as const;

/** Stages of a render that count as "this job is working on the plan right now". */
const ACTIVE = new Set(['queued', 'planning', 'rendering', 'encoding', 'paused']);

/**
 * The editor's view of rendering: the plan lane (segments of the project's render plan with their
 * cache state) and transition previews. A preview goes through the same preparation as a real
 * render (`prepareProjectRender`: pose evaluation, canvas fit, retarget onto the character), then
 * renders only the frames around one boundary with the puppet at `quality: 'fast'` on its own
 * single-threaded engine process, so it never queues behind (or starves) a running render job.
 * Frames come back as small JPEG data URLs: 25 frames at 320 px are ~0.3 MB, need no file, no
 * ffmpeg run and no media-route round trip, and the UI can step through them frame by frame.
 */
export class PreviewAdapter implements PreviewPort {
  private engine: Promise<PreviewEngine> | null = null;
  /** The character set up in the preview engine, keyed by what its pixels depend on. */
  private character: { key: string; id: string } | null = null;
  /** Previews run one at a time on the one engine. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PreviewAdapterDeps) {}

  async plan(project: ProjectSession, jobs: RenderJob[]): Promise<RenderPlanView> {
    const job = await this.prepare(project);
    const plan = planFor(job);
    const cache = SegmentCache.forProject(job.loaded.dir);
    const cached = await Promise.all(plan.segments.map((s) => cache.has(s.hash)));
    // The active job only speaks for this plan when it renders the same range.
    const active = jobs.find(
      (j) =>
        ACTIVE.has(j.progress.stage) &&
        j.settings.from === plan.settings.from &&
        j.settings.to === plan.settings.to,
    );
    const current = active?.progress.segmentIndex ?? null;
    return {
      from: plan.settings.from,
      to: plan.settings.to,
      segments: plan.segments.map((s, i) => ({
        index: s.index,
        role: s.role,
        windowStart: s.windowStart,
        windowEnd: s.windowEnd,
        start: s.start,
        end: s.end,
        state:
          active && current === s.index && !cached[i]
            ? 'rendering'
            : cached[i]
              ? active
                ? 'done'
                : 'cached'
              : 'stale',
      })),
    };
  }

  previewTransition(
    project: ProjectSession,
    req: TransitionPreviewRequest,
  ): Promise<TransitionPreview> {
    const run = this.queue.then(() => this.render(project, req));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.character = null;
    if (engine) await (await engine.catch(() => null))?.close();
  }

  private async render(
    project: ProjectSession,
    req: TransitionPreviewRequest,
  ): Promise<TransitionPreview> {
    const started = performance.now();
    const job = await this.prepare(project);
    const { from: planFrom, to: planTo } = job.plan;
    if (req.frame < planFrom || req.frame >= planTo)
      throw new ApiError(
        'bad-request',
        `render.previewTransition: frame ${req.frame} is outside the render range ${planFrom}–${planTo}`,
        'Pick a boundary inside the output range.',
      );
    const from = Math.max(planFrom, req.frame - (req.before ?? PREVIEW_DEFAULTS.before));
    const to = Math.min(planTo, req.frame + (req.after ?? PREVIEW_DEFAULTS.after));
    const width = Math.min(req.width ?? PREVIEW_DEFAULTS.width, job.width);
    const height = Math.max(2, Math.round((width * job.height) / job.width));

    const engine = await this.startedEngine();
    const characterId = await this.characterFor(engine, job);
    const poses = Array.from({ length: to - from }, (_, i) => job.poseAt(from + i));
    const frames = await engine.renderPuppetFrames({ characterId, poses });
    const urls = await Promise.all(
      frames.map(async (f) => {
        // Fit to the output canvas first (what a real render delivers), then make it small.
        const small = fitFrame(fitFrame(f, job.width, job.height), width, height);
        const jpeg = await sharp(
          Buffer.from(small.data.buffer, small.data.byteOffset, small.data.byteLength),
          {
            raw: { width: small.width, height: small.height, channels: 3 },
          },
        )
          .jpeg({ quality: 75 })
          .toBuffer();
        return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
      }),
    );
    return {
      boundary: req.frame,
      from,
      fps: job.fps,
      width,
      height,
      frames: urls,
      renderMs: performance.now() - started,
    };
  }

  /**
   * The mask and layers the puppet makes of the project's character, with its warnings: set up
   * on the preview engine (one request at a time, like previews), read, and released.
   */
  async characterMask(
    project: ProjectSession,
    options: { automatic?: boolean } = {},
  ): Promise<CharacterMaskView> {
    const found = await project.characterSetup?.();
    if (!found)
      throw new ApiError('not-found', 'the project has no character', 'Import a picture first.');
    // "Auto": the mask the puppet makes when the project has no mask file of the user's.
    const { maskPath, ...automatic } = found;
    const files = options.automatic || !maskPath ? automatic : { ...automatic, maskPath };
    const run = this.queue.then(async () => {
      const engine = await this.startedEngine();
      if (!engine.characterLayers)
        throw new ApiError('unavailable', 'this engine does not report character masks');
      let info: CharacterInfo;
      try {
        info = (await engine.setupCharacter({ ...files, quality: 'fast' })) as CharacterInfo;
      } catch (e) {
        // A mask or picture the engine refuses is the user's to fix, not a bug.
        if (e instanceof EngineRequestError && e.kind === 'bad-input')
          throw new ApiError(
            'bad-request',
            e.message,
            'Fix the mask as the message says, import another, or clear it to use the automatic mask.',
          );
        throw ApiError.from(e);
      }
      try {
        const layers = engine.characterLayers(info.characterId);
        if (!layers) throw new ApiError('internal', 'the engine returned no mask');
        return await characterMaskView(info, layers);
      } finally {
        await engine.releaseCharacter(info.characterId).catch(() => undefined);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The same preparation a render of the project's current settings does. */
  private async prepare(project: ProjectSession): Promise<ProjectRender> {
    try {
      return await prepareProjectRender(
        project.folder,
        {},
        { pictureSize, packFolders: this.deps.packFolders?.() ?? [] },
      );
    } catch (e) {
      throw projectApiError(e);
    }
  }

  private startedEngine(): Promise<PreviewEngine> {
    if (!this.engine) {
      this.engine = this.deps.startEngine();
      this.engine.catch(() => {
        this.engine = null; // let the next preview try again
      });
    }
    return this.engine;
  }

  /** Sets the character up once; again only when its picture, mask or reference pose changed. */
  private async characterFor(engine: PreviewEngine, job: ProjectRender): Promise<string> {
    const key = `${job.picturePath}\n${job.maskPath ?? ''}\n${job.settingsHash}`;
    if (this.character?.key === key) return this.character.id;
    if (this.character) {
      const old = this.character.id;
      this.character = null;
      await engine.releaseCharacter(old).catch(() => undefined);
    }
    const { characterId } = await engine.setupCharacter({
      picturePath: job.picturePath,
      referencePose: Float64Array.from(job.character.referencePose),
      ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      ...(job.layers ? { layers: job.layers } : {}),
      quality: 'fast',
    });
    this.character = { key, id: characterId };
    return characterId;
  }
}
