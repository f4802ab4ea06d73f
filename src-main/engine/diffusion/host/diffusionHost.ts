/**
 * The diffusion generator inside the engine process. Generators are opened through the engine's
 * SessionPool (provider order, GPU → CPU fallback), shared by every diffusionId that uses the same
 * pack, providers and bank cache, and released as a whole when idle (reopened on the next
 * segment: the pipeline holds its sessions for a render, so they cannot be dropped one by one).
 * Each render runs with an AbortSignal that a `cancel` message aborts; every ONNX Runtime run
 * first yields to the event loop, so that message is read between runs, not after the render.
 */
import type { PackSources } from '#main/engine/diffusion/pack/packManifest';
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RgbImage } from '#shared/image/rgbImage';
import { CancelledError } from '#shared/render/cancelled';
import type { SegmentRequest } from '#shared/render/worker';
import type { SessionPool } from '#main/engine/sessionPool';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import type { DiffusionWorkerSettings } from '#main/engine/diffusion/strategies/workerSettings';
import { PooledSessionProvider } from '#main/engine/diffusion/sessions/pooledSessionProvider';
import type { OpenDiffusionPayload } from './diffusionProtocol';
import { readFittedPicture } from './fittedPicture';

import { DiffusionInputError } from './diffusionInputError';

export { DiffusionInputError };

interface GeneratorEntry {
  key: string;
  /** The pack and its separate ControlNet / replacement UNet folders (absolute). */
  sources: PackSources;
  bankCacheDir: string | null;
  provider: PooledSessionProvider;
  generator: Promise<DiffusionGenerator> | null;
  users: Set<string>;
  busy: number;
  lastUsed: number;
}

interface Bound {
  entry: GeneratorEntry;
  settings: DiffusionWorkerSettings;
}

/** The request an ONNX Runtime run belongs to (runs of shared sessions are told apart). */
interface RunContext {
  signal: AbortSignal;
  modelRuns: number;
  /** Runs started after the cancel was read (the rest of the step in progress). */
  runsAfterCancel: number;
  onRun(): void;
}

export interface DiffusionHostOptions {
  /** Provider order when an open does not give its own. */
  providers: readonly string[];
  /** A generator unused this long has its sessions released (default 5 minutes). */
  idleMs?: number;
}

/** Progress messages at most this often per request (they only keep the client's timer fresh). */
const PROGRESS_EVERY_MS = 1000;

export class DiffusionHost {
  private readonly entries = new Map<string, GeneratorEntry>();
  private readonly bound = new Map<string, Bound>();
  private readonly runs = new AsyncLocalStorage<RunContext>();
  private readonly timer: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(
    private readonly pool: SessionPool,
    private readonly options: DiffusionHostOptions,
  ) {
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.timer = setInterval(() => void this.releaseIdle(), Math.min(this.idleMs, 30_000));
    this.timer.unref();
  }

  /**
   * Awaited before each ONNX Runtime run of a diffusion session. It yields so that a `cancel`
   * message is read between runs; the pipeline then stops at its next step (DiffusionWorker checks
   * the signal before every denoiser call). It does not throw itself: a run may serve several
   * requests (the reference bank pass is shared by every worker waiting for it), and one request's
   * cancel must not fail the others.
   */
  private readonly beforeRun = async (): Promise<void> => {
    await nextTurn();
    const context = this.runs.getStore();
    if (!context) return;
    context.modelRuns++;
    if (context.signal.aborted) context.runsAfterCancel++;
    context.onRun();
  };

  async open(
    diffusionId: string,
    payload: OpenDiffusionPayload,
  ): Promise<{
    picture: { width: number; height: number };
    device: string;
    fallbackReason?: string;
    shared: boolean;
  }> {
    const { output } = payload;
    let reference: RgbImage;
    let picture: { width: number; height: number };
    if ('path' in payload.reference) {
      try {
        ({ image: reference, picture } = await readFittedPicture(
          payload.reference.path,
          output.width,
          output.height,
        ));
      } catch (e) {
        throw new DiffusionInputError(
          `reference picture ${payload.reference.path} cannot be read: ${(e as Error).message}`,
        );
      }
    } else {
      reference = payload.reference.image;
      picture = { width: reference.width, height: reference.height };
    }
    const s = payload.settings;
    const settings: DiffusionWorkerSettings = {
      reference,
      referencePose: payload.referencePose,
      prompt: s.prompt,
      seed: s.seed,
      steps: s.steps,
      guidanceScale: s.guidanceScale,
      ...(s.negativePrompt !== undefined ? { negativePrompt: s.negativePrompt } : {}),
      ...(s.conditioningScale !== undefined ? { conditioningScale: s.conditioningScale } : {}),
      ...(s.sampler ? { sampler: s.sampler } : {}),
      ...(s.crossFrame ? { crossFrame: s.crossFrame } : {}),
      memoryBudgetBytes: s.memoryBudgetBytes ?? null,
      ...(s.stickWidth ? { stickWidth: s.stickWidth } : {}),
      ...(s.referenceMode ? { referenceMode: s.referenceMode } : {}),
      ...(s.styleFidelity !== undefined ? { styleFidelity: s.styleFidelity } : {}),
      ...(s.referenceAdain !== undefined ? { referenceAdain: s.referenceAdain } : {}),
    };

    const sources: PackSources = {
      packDir: resolve(payload.packDir),
      ...(payload.controlNetPath ? { controlNetPath: resolve(payload.controlNetPath) } : {}),
      ...(payload.unetPath ? { unetPath: resolve(payload.unetPath) } : {}),
    };
    const bankCacheDir = payload.bankCacheDir ? resolve(payload.bankCacheDir) : null;
    const providers = payload.executionProviders
      ? [...payload.executionProviders.filter((p) => p !== 'cpu'), 'cpu']
      : [...this.options.providers];
    const key = JSON.stringify([sources, bankCacheDir, providers]);
    // An id opened again is closed first, before its entry is looked up: were it the entry's only
    // user, closing afterwards would drop the entry from the host while the id stayed bound to it
    // (unmanaged by idle release and closeAll).
    if (this.bound.has(diffusionId)) await this.close(diffusionId);
    let entry = this.entries.get(key);
    const shared = entry !== undefined && entry.users.size > 0;
    if (!entry) {
      entry = {
        key,
        sources,
        bankCacheDir,
        provider: new PooledSessionProvider(this.pool, { providers, beforeRun: this.beforeRun }),
        generator: null,
        users: new Set(),
        busy: 0,
        lastUsed: Date.now(),
      };
      this.entries.set(key, entry);
    }
    entry.users.add(diffusionId);
    this.bound.set(diffusionId, { entry, settings });
    try {
      await this.generatorOf(entry); // pack problems show at open, not at the first segment
    } catch (e) {
      await this.close(diffusionId);
      throw e;
    }
    return {
      picture,
      device: entry.provider.device,
      ...(entry.provider.fallbackReason ? { fallbackReason: entry.provider.fallbackReason } : {}),
      shared,
    };
  }

  /** Opens the entry's generator unless it is open (or opening); a failed open is not kept. */
  private generatorOf(entry: GeneratorEntry): Promise<DiffusionGenerator> {
    if (!entry.generator) {
      const opening = DiffusionGenerator.open(entry.sources, entry.provider, {
        bankCacheDir: entry.bankCacheDir,
      });
      entry.generator = opening;
      opening.catch(() => {
        if (entry.generator === opening) entry.generator = null;
      });
    }
    entry.lastUsed = Date.now();
    return entry.generator;
  }

  /**
   * Renders one segment request, or a fusion group (`group`: the requests of one coupled set,
   * denoised in one loop), with the settings bound to `diffusionId`. `onProgress` is called
   * (throttled) while it works; `signal` stops it before the next ONNX Runtime run.
   */
  async render(
    diffusionId: string,
    requests: { segment: SegmentRequest } | { group: SegmentRequest[] },
    signal: AbortSignal,
    onProgress: (modelRuns: number) => void,
  ): Promise<{ frames: RgbImage[][]; modelRuns: number }> {
    const bound = this.bound.get(diffusionId);
    if (!bound)
      throw new DiffusionInputError(`unknown diffusion generator "${diffusionId}" (open it first)`);
    const { entry, settings } = bound;
    entry.busy++;
    let last = 0;
    const context: RunContext = {
      signal,
      modelRuns: 0,
      runsAfterCancel: 0,
      onRun() {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        onProgress(context.modelRuns);
      },
    };
    try {
      const generator = await this.generatorOf(entry);
      if (signal.aborted) throw new CancelledError();
      const worker = new DiffusionWorker(diffusionId, generator, settings);
      const frames = await this.runs.run(context, async () =>
        'segment' in requests
          ? [await worker.renderSegment(requests.segment, signal)]
          : worker.renderGroup(requests.group, signal),
      );
      return { frames, modelRuns: context.modelRuns };
    } catch (e) {
      if (signal.aborted && e instanceof CancelledError)
        throw new CancelledError(
          `render cancelled after ${context.modelRuns} model runs ` +
            `(${context.runsAfterCancel} after the cancel arrived)`,
        );
      throw e;
    } finally {
      entry.busy--;
      entry.lastUsed = Date.now();
      // Closed while this render ran: dispose now that nothing runs on its sessions.
      if (entry.busy === 0 && entry.users.size === 0) await this.dispose(entry);
    }
  }

  /** Forgets `diffusionId`; the generator is disposed when no id uses it any more. */
  async close(diffusionId: string): Promise<boolean> {
    const bound = this.bound.get(diffusionId);
    if (!bound) return false;
    this.bound.delete(diffusionId);
    const { entry } = bound;
    entry.users.delete(diffusionId);
    if (entry.users.size === 0) {
      this.entries.delete(entry.key);
      if (entry.busy === 0) await this.dispose(entry); // else when its last render ends
    }
    return true;
  }

  private async dispose(entry: GeneratorEntry): Promise<void> {
    const generator = entry.generator;
    entry.generator = null;
    const opened = await generator?.catch(() => null);
    await opened?.dispose();
  }

  /** Releases the sessions of generators nobody has used for `idleMs` (kept settings reopen them). */
  async releaseIdle(idleMs = this.idleMs): Promise<number> {
    let released = 0;
    const now = Date.now();
    for (const entry of this.entries.values()) {
      if (!entry.generator || entry.busy > 0 || now - entry.lastUsed < idleMs) continue;
      await this.dispose(entry);
      released++;
    }
    return released;
  }

  /** Generators open now and their sessions (for `info`). */
  stats(): { generators: number; sessions: number } {
    let generators = 0;
    let sessions = 0;
    for (const e of this.entries.values()) {
      if (e.generator) generators++;
      sessions += e.provider.openCount;
    }
    return { generators, sessions };
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    for (const entry of this.entries.values()) await this.dispose(entry);
    this.entries.clear();
    this.bound.clear();
  }
}
