import { EngineClient } from '../../engine/client';
import { PuppetWorker, type PuppetCharacterSetup } from '../../scheduler/puppetWorker';
import type { RenderWorker } from '../../scheduler/worker';

export interface StartWorkers {
  (
    count: number,
    setup: PuppetCharacterSetup,
    output: { width: number; height: number },
  ): Promise<RenderWorker[]>;
}

/**
 * One puppet engine process per worker (onnxruntime's run() blocks its thread), the machine's
 * cores shared between them.
 */
export const startPuppetWorkers: StartWorkers = async (count, setup, output) => {
  const { availableParallelism } = await import('node:os');
  const threads = Math.max(1, Math.floor(availableParallelism() / count));
  const engines = await Promise.all(
    Array.from({ length: count }, () => EngineClient.start({ threads })),
  );
  return engines.map((e, i) => new PuppetWorker(`puppet-${i + 1}`, e, setup, output));
};
