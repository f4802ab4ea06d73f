import { describe, expect, it } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import { fitFrame } from '#shared/render/fitFrame';
import { Dispatcher } from './dispatcher';
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

  it('gives the plate at the output size, fitted as frames are, setting the character up once', async () => {
    let setups = 0;
    // A 4×2 picture whose plate is a left-to-right ramp; the output is 8×8 (letterboxed).
    const plate = Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.floor(i / 3) * 30);
    const engine: PuppetEngine = {
      setupCharacter: async () => {
        setups++;
        return { characterId: 'c', width: 4, height: 2, setupMs: 1, warnings: [] };
      },
      renderPuppetFrames: async (req) => req.poses.map(() => createRgbImage(4, 2)),
      backgroundPlate: (id) => (id === 'c' ? plate : undefined),
      close: async () => undefined,
    };
    const worker = new PuppetWorker(
      'p',
      engine,
      { picturePath: 'x.png', referencePose: new Float64Array(408) },
      { width: 8, height: 8 },
    );
    const fitted = (await worker.backgroundPlate())!;
    expect(fitted).toEqual(fitFrame({ width: 4, height: 2, data: plate }, 8, 8));
    expect(await worker.backgroundPlate()).toEqual(fitted);
    expect(setups).toBe(1);
    // An engine without plates: no plate, so the report measures the whole frame.
    const { backgroundPlate: _omit, ...plain } = engine;
    const noPlate = new PuppetWorker(
      'q',
      plain,
      { picturePath: 'x.png', referencePose: new Float64Array(408) },
      { width: 8, height: 8 },
    );
    expect(await noPlate.backgroundPlate()).toBeNull();
    expect(await new Dispatcher([noPlate, worker]).backgroundPlate()).toEqual(fitted);
  });
});
