import { createRequire } from 'node:module';
import { ApiError, type EngineInfo, type ExecutionProviderPreference } from '#shared/api/index';
import { EngineClient } from '#main/engine/client/engineClient';
import { EngineRequestError } from '#main/engine/client/engineClient';
import { parseProviderProblems } from '#shared/providers/providerProblems';
import type { EnginePort, PicturePoses } from './ports';

/** Every provider the studio knows; the machine's engine says which of them it has. */
const KNOWN = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];
const NOTES: Record<string, string> = {
  cuda: 'NVIDIA GPUs on Linux/Windows (needs onnxruntime-node installed with CUDA 12 files)',
  dml: 'DirectX 12 GPUs on Windows',
  coreml: 'Apple Neural Engine / GPU on macOS',
  webgpu: 'experimental; never picked automatically',
  cpu: 'always available',
};

function ortVersion(): string {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/**
 * Engine information for the settings page from a real engine process (started on first ask,
 * restarted when the provider preference changes). Crashes are forwarded as engine.status.
 */
export class EngineInfoAdapter implements EnginePort {
  private client: {
    preference: ExecutionProviderPreference;
    engine: Promise<EngineClient>;
  } | null = null;
  private readonly listeners = new Set<(info: EngineInfo) => void>();

  subscribe(listener: (info: EngineInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async info(preference: ExecutionProviderPreference): Promise<EngineInfo> {
    const engine = await this.engineFor(preference);
    const i = await engine.info();
    const problems = parseProviderProblems(i.fallbackReason);
    const info: EngineInfo = {
      state: 'running',
      providers: KNOWN.map((name) => {
        // Listed by onnxruntime but its libraries did not load (e.g. CUDA without the CUDA files).
        const failed = problems.some((p) => p.provider === name && p.kind === 'failed');
        return {
          name,
          available: name === 'cpu' || (i.available.includes(name) && !failed),
          note: failed ? `${NOTES[name]}; failed to load on this machine` : (NOTES[name] ?? ''),
        };
      }),
      selected: i.device,
      ortVersion: ortVersion(),
    };
    if (i.fallbackReason) info.message = i.fallbackReason;
    return info;
  }

  /** Poses a picture in the same engine process the settings page talks to. */
  async extractPicturePose(
    preference: ExecutionProviderPreference,
    picturePath: string,
    options: { minScore?: number } = {},
  ): Promise<PicturePoses> {
    const engine = await this.engineFor(preference);
    try {
      return await engine.extractPicturePose({
        source: { path: picturePath },
        ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
      });
    } catch (e) {
      if (e instanceof EngineRequestError && e.kind === 'bad-input')
        throw new ApiError('bad-request', e.message, 'Import a PNG, JPEG or WebP picture.');
      throw e;
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.engine.then((e) => e.close()).catch(() => undefined);
  }

  private engineFor(preference: ExecutionProviderPreference): Promise<EngineClient> {
    if (this.client?.preference === preference) return this.client.engine;
    void this.close();
    const engine = EngineClient.start({
      threads: 1,
      ...(preference === 'auto' ? {} : { providers: [preference] }),
    });
    engine
      .then((e) =>
        e.onCrash((reason) => {
          const status: EngineInfo = {
            state: 'restarting',
            providers: [],
            selected: '',
            ortVersion: ortVersion(),
            message: `the engine crashed (${reason}); restarting`,
          };
          for (const l of this.listeners) l(status);
        }),
      )
      .catch(() => undefined);
    this.client = { preference, engine };
    engine.catch(() => {
      if (this.client?.engine === engine) this.client = null;
    });
    return engine;
  }
}
