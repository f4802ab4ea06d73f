import { describe, expect, it } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import { PuppetWorker, type PuppetEngine } from './puppetWorker';
import { WorkerCrashedError, type SegmentRequest } from '#shared/render/worker';

describe('PuppetWorker', () => {
  it('sets the character up again when the engine died during the set-up (the retry can work)', async () => {
    let setups = 0;
    const engine: PuppetEngine = {
      setupCharacter: async () => {
        if (++setups === 1) throw new WorkerCrashedError('engine process 7 killed by SIGKILL');
        return { characterId: 'c', width: 4, height: 4, setupMs: 1, warnings: [] };
      },
      renderPuppetFrames: async (req) => req.poses.map(() => createRgbImage(4, 4)),
      close: async () => undefined,
    };
    const worker = new PuppetWorker(
      'p',
      engine,
      { picturePath: 'x.png', referencePose: new Float64Array(408) },
      { width: 4, height: 4 },
    );
    const request: SegmentRequest = {
      jobId: 'j',
      segment: {
        index: 0,
        role: 'chunk',
        windowStart: 0,
        windowEnd: 2,
        start: 0,
        end: 2,
        anchorFrame: -1,
        after: [],
        coupled: [],
        inputHash: 'i',
        hash: 'h',
      },
      poses: [new Float64Array(408), new Float64Array(408)],
      dependencies: [],
    };
    const signal = new AbortController().signal;
    await expect(worker.renderSegment(request, signal)).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await worker.renderSegment(request, signal)).toHaveLength(2);
    expect(setups).toBe(2);
  });
});
