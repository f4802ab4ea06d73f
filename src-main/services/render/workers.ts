import { pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RenderWorker } from '../../scheduler/worker';
import {
  PuppetWorker,
  type PuppetCharacterSetup,
  type PuppetEngine,
} from '../../scheduler/puppetWorker';

export interface StartWorkers {
  (
    count: number,
    setup: PuppetCharacterSetup,
    output: { width: number; height: number },
  ): Promise<RenderWorker[]>;
}

interface EngineClientModule {
  EngineClient: { start(options?: { threads?: number }): Promise<PuppetEngine> };
}

/** One puppet engine process per worker (onnxruntime's run() blocks its thread). */
export const startPuppetWorkers: StartWorkers = async (count, setup, output) => {
  const here = dirname(fileURLToPath(import.meta.url));
  const clientUrl = pathToFileURL(join(here, '..', '..', 'engine', 'client.ts')).href;
  const mod = (await import(clientUrl)) as EngineClientModule;
  const threads = Math.max(1, Math.floor(2 / count));
  const engines = await Promise.all(
    Array.from({ length: count }, () => mod.EngineClient.start({ threads })),
  );
  return engines.map((e, i) => new PuppetWorker(`puppet-${i + 1}`, e, setup, output));
};
