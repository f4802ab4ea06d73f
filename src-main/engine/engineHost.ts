/**
 * What runs inside the engine process: the model registry, the session pool and the characters,
 * answering validated requests. Kept free of process plumbing: only engineMain.ts knows it runs in a
 * child process.
 */
import { ZodError } from 'zod';
import { CancelledError } from '#shared/render/cancelled';
import type { DiffusionHost } from './diffusion/host/diffusionHost';
import { DiffusionInputError } from './diffusion/host/diffusionInputError';
import { PackError } from './diffusion/pack/packError';
import { ExtractorCache } from './extract/extractorCache';
import { ExtractorError } from './extract/extractor';
import { ModelError, ModelRegistry } from './models/modelRegistry';
import { ExtractError } from './extract/extractError';
import { extractPicture } from './extract/extractPoses';
import { PictureError } from './puppet/loadPicture';
import { type PuppetCharacter, setupPuppetCharacter } from './puppet/puppetCharacter';
import { renderPuppetPatch } from './puppet/puppetRenderer';

/** The small built-in graph whose session tells, at start, which provider works. */
const PROVIDER_PROBE_MODEL = 'puppet-warp';
import { BONES } from '#shared/puppet/bones';
import { packPixels } from '#shared/image/pixelRuns';
import type { EngineOptions, ErrorKind, Request, Response } from './protocol';
import { Request as RequestSchema } from './protocol';
import { availableProviders, resolveProviders } from './providers';
import { SessionPool } from './sessionPool';

export class EngineHost {
  private readonly registry: ModelRegistry;
  private readonly pool: SessionPool;
  private readonly characters = new Map<string, PuppetCharacter>();
  private readonly available: string[];
  private readonly providers: string[];
  private readonly threads: number;
  private readonly skipped: string[];
  private readonly signatureChecked = new Set<string>();
  private readonly extractors = new ExtractorCache();
  /**
   * Loaded on the first diffusion request: the diffusion code (tokenizers, pipeline) adds ~130 ms
   * to every engine start, and most engines only render puppet frames or extract poses.
   */
  private diffusionHost: Promise<DiffusionHost> | null = null;
  private loadedDiffusion: DiffusionHost | null = null;
  /** Diffusion renders in flight, by request id (a `cancel` aborts them). */
  private readonly cancellable = new Map<number, AbortController>();

  /**
   * `emit` sends a message to the client outside the request/answer flow (progress of long
   * requests); engineMain passes the IPC channel's send.
   */
  constructor(
    private readonly options: EngineOptions,
    private readonly emit: (message: unknown) => void = () => undefined,
  ) {
    this.available = availableProviders();
    const { providers, skipped } = resolveProviders(options.providers, this.available);
    this.providers = providers;
    this.skipped = skipped;
    this.threads = options.threads ?? 1;
    this.registry = new ModelRegistry(options.modelCacheDir);
    this.pool = new SessionPool({
      providers,
      threads: this.threads,
      ...(options.idleMs ? { idleMs: options.idleMs } : {}),
    });
  }

  private diffusion(): Promise<DiffusionHost> {
    this.diffusionHost ??= import('./diffusion/host/diffusionHost').then(({ DiffusionHost }) => {
      this.loadedDiffusion = new DiffusionHost(this.pool, {
        providers: this.providers,
        ...(this.options.idleMs ? { idleMs: this.options.idleMs } : {}),
      });
      return this.loadedDiffusion;
    });
    return this.diffusionHost;
  }

  /**
   * Creates one ONNX Runtime session up front so the engine learns at start whether its preferred
   * provider works (and why not: `info().fallbackReason`). The built-in graph serves as the probe;
   * the puppet itself renders without ORT (skipped with `warmUp: false`).
   */
  async warmUp(): Promise<void> {
    if (this.options.warmUp === false) return;
    await this.checkModel(PROVIDER_PROBE_MODEL);
  }

  private loader = (id: string) => async () => (await this.registry.load(id)).bytes;

  /** Loads a model's session once and checks its inputs/outputs against the manifest. */
  private async checkModel(id: string): Promise<void> {
    if (this.signatureChecked.has(id)) return;
    const { manifest } = await this.registry.load(id);
    const inputs = await this.pool.inputNames(id, this.loader(id));
    const outputs = await this.pool.outputNames(id, this.loader(id));
    ModelRegistry.checkSignature(manifest, inputs, outputs);
    this.signatureChecked.add(id);
  }

  info() {
    const reasons = [
      ...this.skipped,
      ...(this.pool.fallbackReason ? [this.pool.fallbackReason] : []),
    ];
    return {
      pid: process.pid,
      providers: this.providers,
      available: this.available,
      device: this.pool.activeProvider,
      threads: this.threads,
      // Also when the preferred provider is missing from this build (DirectML asked for on Linux):
      // then the order starts with cpu, and without the reason the user never learns why.
      ...(reasons.length > 0 && this.pool.activeProvider === 'cpu'
        ? { fallbackReason: reasons.join('; ') }
        : {}),
      rssBytes: process.memoryUsage().rss,
      diffusion: this.loadedDiffusion?.stats() ?? { generators: 0, sessions: 0 },
    };
  }

  /** Handles one raw message; never throws (errors become error responses). */
  async handle(raw: unknown): Promise<Response> {
    const id =
      typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number'
        ? raw.id
        : -1;
    try {
      const req = RequestSchema.parse(raw);
      return { id, ok: true, result: await this.dispatch(req) };
    } catch (e) {
      return { id, ok: false, error: { message: describe(e), kind: kindOf(e) } };
    }
  }

  private async dispatch(req: Request): Promise<unknown> {
    switch (req.type) {
      case 'openDiffusion': {
        const t0 = performance.now();
        const opened = await (await this.diffusion()).open(req.diffusionId, req.open);
        return { diffusionId: req.diffusionId, ...opened, openMs: performance.now() - t0 };
      }
      case 'renderDiffusionSegment':
      case 'renderDiffusionGroup': {
        const t0 = performance.now();
        const abort = new AbortController();
        this.cancellable.set(req.id, abort);
        try {
          const { frames, modelRuns } = await (
            await this.diffusion()
          ).render(
            req.diffusionId,
            req.type === 'renderDiffusionSegment'
              ? { segment: req.request }
              : { group: req.requests },
            abort.signal,
            (runs) => this.emit({ id: req.id, progress: { modelRuns: runs } }),
          );
          const ms = performance.now() - t0;
          return req.type === 'renderDiffusionSegment'
            ? { frames: frames[0]!, modelRuns, ms }
            : { groups: frames, modelRuns, ms };
        } finally {
          this.cancellable.delete(req.id);
        }
      }
      case 'closeDiffusion':
        return { closed: (await this.loadedDiffusion?.close(req.diffusionId)) ?? false };
      case 'cancel': {
        const abort = this.cancellable.get(req.target);
        abort?.abort();
        return { cancelled: abort !== undefined };
      }
      case 'info':
        return this.info();
      case 'setupCharacter': {
        const t0 = performance.now();
        const character = await setupPuppetCharacter(req.setup);
        this.characters.set(req.characterId, character);
        return {
          characterId: req.characterId,
          width: character.rig.width,
          height: character.rig.height,
          setupMs: performance.now() - t0,
          phases: character.phases,
          maskSource: character.maskSource,
          maskPixels: character.maskPixels,
          warnings: character.warnings,
          ...(character.segmentation ? { segmentation: character.segmentation } : {}),
          layers: BONES.map((b, k) => ({ part: b.name, ...character.layers[k]! })),
          // Packed: a cut-out's plate, the mask and the part map are mostly long runs (1.5 MB
          // raw at 512², a few kB as runs), and every chunk of the pipe costs both processes.
          plate: packPixels(character.plate, 3),
          mask: packPixels(character.mask, 1),
          parts: packPixels(character.parts, 1),
          ...(character.plateAlpha ? { plateAlpha: packPixels(character.plateAlpha, 1) } : {}),
        };
      }
      case 'renderPuppetFrames': {
        const character = this.characters.get(req.characterId);
        if (!character)
          throw new PictureError(`unknown character "${req.characterId}" (set it up first)`);
        const frames = [];
        // Sent as the crop the renderer drew into, over the plate the client has from the setup
        // (~half the bytes of a full-body character's 512² frame).
        for (const pose of req.poses) {
          const { width, height, box, data, alpha } = renderPuppetPatch(character, pose);
          frames.push({ width, height, box, data, ...(alpha ? { alpha } : {}) });
        }
        return { frames };
      }
      case 'releaseCharacter':
        return { released: this.characters.delete(req.characterId) };
      case 'extractPoses': {
        const t0 = performance.now();
        const source = 'path' in req.source ? req.source.path : req.source.bytes;
        return this.extractors.run(req.settings, async (extractor) => {
          const r = await extractPicture(source, extractor, req.maxSide ?? 1280);
          return {
            width: r.width,
            height: r.height,
            people: r.frames[0]!.people.map((p) => p.points),
            extractor: extractor.info.name,
            ms: performance.now() - t0,
          };
        });
      }
      case 'extractFramePoses': {
        const { frame } = req;
        return this.extractors.run(req.settings, async (extractor) => ({
          people: await extractor.extract(
            frame,
            req.previousPeople ? { previousPeople: req.previousPeople } : {},
          ),
        }));
      }
    }
  }

  async close(): Promise<void> {
    for (const abort of this.cancellable.values()) abort.abort();
    await this.loadedDiffusion?.closeAll();
    this.characters.clear();
    await this.extractors.close();
    await this.pool.close();
  }
}

function kindOf(e: unknown): ErrorKind {
  if (e instanceof CancelledError) return 'cancelled';
  if (
    e instanceof PictureError ||
    e instanceof ZodError ||
    e instanceof ExtractError ||
    e instanceof PackError ||
    e instanceof DiffusionInputError ||
    e instanceof RangeError
  )
    return 'bad-input';
  if (e instanceof ModelError || e instanceof ExtractorError) return 'model';
  return 'internal';
}

/** "poses[3]: point 0 x is NaN: …" — where in the request, and what is wrong, on one line. */
function zodLine(e: ZodError): string {
  const issues = e.issues.slice(0, 3).map((i) => {
    const at = i.path
      .map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k ? '.' : ''}${String(p)}`))
      .join('');
    return `${at ? `${at}: ` : ''}${i.message.replace(/\s*\n\s*/g, ' ')}`;
  });
  const more = e.issues.length > 3 ? ` (and ${e.issues.length - 3} more)` : '';
  return issues.join('; ') + more;
}

function describe(e: unknown): string {
  if (e instanceof ZodError) return `invalid request: ${zodLine(e)}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
