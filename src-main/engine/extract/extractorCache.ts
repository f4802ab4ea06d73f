/**
 * The extractors the engine process keeps loaded, one per settings (extractor + min score), so a
 * video's frames and repeated "Detect pose" clicks do not reload tfjs or the DWPose sessions.
 * Extraction calls run one at a time: tfjs-wasm is single-threaded and an extractor keeps state
 * between frames, so interleaving two requests would only make both slower.
 */
import { createExtractor, type ExtractorChoice } from './createExtractor';
import type { PoseExtractor } from './extractor';

export interface ExtractorSettings {
  extractor: ExtractorChoice;
  minScore?: number;
}

export class ExtractorCache {
  private readonly loaded = new Map<string, Promise<PoseExtractor>>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` with the extractor for `settings`, after every earlier extraction finished. */
  run<T>(settings: ExtractorSettings, work: (extractor: PoseExtractor) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => work(await this.get(settings)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get(settings: ExtractorSettings): Promise<PoseExtractor> {
    const key = JSON.stringify([settings.extractor, settings.minScore ?? null]);
    let extractor = this.loaded.get(key);
    if (!extractor) {
      extractor = createExtractor(
        settings.extractor,
        settings.minScore !== undefined ? { minScore: settings.minScore } : {},
      );
      this.loaded.set(key, extractor);
      // A pack that failed to load is not remembered: the user may fix the folder and retry.
      extractor.catch(() => this.loaded.delete(key));
    }
    return extractor;
  }

  async close(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    for (const e of all) await e.then((x) => x.close()).catch(() => undefined);
  }
}
