import { describe, expect, it } from 'vitest';
import type { Segment } from '#shared/render/plan';
import type { SegmentRequest } from '#shared/render/worker';
import { DiffusionSegmentRequest } from '#main/engine/diffusion/host/diffusionProtocol';
import {
  fakeEngineProcesses,
  until,
  type FakeEngineChannel,
} from '#test/helpers/fakeEngineChannel';
import { EngineConnection } from './connection';
import { EngineCrashedError } from './errors';
import { DiffusionClient } from './diffusionClient';

const frame = () => ({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) });
const segment: Segment = {
  index: 0,
  role: 'window',
  windowStart: 0,
  windowEnd: 2,
  start: 0,
  end: 2,
  anchorFrame: -1,
  after: [],
  coupled: [],
  inputHash: 'i',
  hash: 'h',
};
const request = (): SegmentRequest => ({
  jobId: 'job',
  segment,
  poses: [new Float64Array(408), new Float64Array(408)],
  dependencies: [],
  plan: { strategy: 'fused', segmentLength: 2, segmentOverlap: 0 },
  onFrames: () => undefined, // a function: must not reach the engine (it cannot be cloned)
});
const openAnswer = (m: Record<string, unknown>) => ({
  diffusionId: m.diffusionId,
  picture: { width: 8, height: 8 },
  device: 'cpu',
  shared: false,
  openMs: 1,
});

/** Answers the n-th request of `type` (1-based) once it is there. */
async function answer(
  engine: FakeEngineChannel,
  type: string,
  n: number,
  result: unknown | ((m: Record<string, unknown>) => unknown),
) {
  await until(() => engine.requests(type).length >= n, `${type} #${n}`);
  const m = engine.requests(type)[n - 1]!;
  engine.answer(m.id, typeof result === 'function' ? result(m) : result);
}

async function opened() {
  const { processes, start } = fakeEngineProcesses();
  const connection = await EngineConnection.start({}, start);
  const client = new DiffusionClient(connection);
  const open = client.openDiffusion({
    packDir: '/pack',
    output: { width: 8, height: 8 },
    reference: { image: { ...frame(), extra: () => 1 } as never },
    referencePose: new Float64Array(408),
    settings: { prompt: 'a dancer', seed: 1, steps: 2, guidanceScale: 1 },
  });
  await answer(processes[0]!, 'openDiffusion', 1, openAnswer);
  return { processes, connection, client, info: await open };
}

describe('DiffusionClient', () => {
  it('sends a segment request in the engine schema’s shape, without the scheduler’s callback', async () => {
    const { processes, connection, client, info } = await opened();
    expect(info.diffusionId).toBe('diffusion-1');
    const render = client.renderDiffusionSegment('diffusion-1', request());
    await answer(processes[0]!, 'renderDiffusionSegment', 1, {
      frames: [frame(), frame()],
      modelRuns: 4,
      ms: 10,
    });
    expect((await render).modelRuns).toBe(4);
    const sent = processes[0]!.requests('renderDiffusionSegment')[0]!;
    expect(sent.request).not.toHaveProperty('onFrames');
    expect(DiffusionSegmentRequest.safeParse(sent.request).success).toBe(true);
    await connection.close();
  });

  it('reopens the generator once in a restarted engine for all the segments waiting, and a cancel meanwhile answers at once', async () => {
    const { processes, connection, client } = await opened();
    const first = client.renderDiffusionSegment('diffusion-1', request());
    await until(() => processes[0]!.requests('renderDiffusionSegment').length === 1, 'a render');
    processes[0]!.exit('killed by SIGKILL');
    await expect(first).rejects.toBeInstanceOf(EngineCrashedError);

    const a = client.renderDiffusionSegment('diffusion-1', request());
    const b = client.renderDiffusionSegment('diffusion-1', request());
    const abort = new AbortController();
    const cancelled = client.renderDiffusionSegment('diffusion-1', request(), abort.signal);
    await until(() => processes[1]?.requests('openDiffusion').length === 1, 'the reopen');
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'cancelled while the engine reopens the model pack',
    });
    const reopen = processes[1]!.requests('openDiffusion')[0]!;
    expect(reopen.diffusionId).toBe('diffusion-1');
    processes[1]!.answer(reopen.id, openAnswer(reopen));
    const result = { frames: [frame(), frame()], modelRuns: 1, ms: 1 };
    await answer(processes[1]!, 'renderDiffusionSegment', 1, result);
    await answer(processes[1]!, 'renderDiffusionSegment', 2, result);
    await Promise.all([a, b]);
    expect(processes[1]!.requests('openDiffusion')).toHaveLength(1);
    await connection.close();
  });

  it('refuses frames of the wrong count or size, and an unknown generator', async () => {
    const { processes, connection, client } = await opened();
    const short = client.renderDiffusionSegment('diffusion-1', request());
    await answer(processes[0]!, 'renderDiffusionSegment', 1, {
      frames: [frame()],
      modelRuns: 1,
      ms: 1,
    });
    await expect(short).rejects.toThrow('engine returned the wrong number of frames');
    const big = client.renderDiffusionSegment('diffusion-1', request());
    const wide = { width: 16, height: 8, data: new Uint8Array(16 * 8 * 3) };
    await answer(processes[0]!, 'renderDiffusionSegment', 2, {
      frames: [wide, wide],
      modelRuns: 1,
      ms: 1,
    });
    await expect(big).rejects.toThrow('engine returned a frame of the wrong size');
    await expect(client.renderDiffusionSegment('diffusion-7', request())).rejects.toMatchObject({
      kind: 'bad-input',
    });
    await connection.close();
  });
});
