import { describe, expect, it, vi } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { defaultWorkerCount, engineThreads, startPuppetWorkers } from './workers';

vi.mock('#main/engine/client/engineClient', async (original) => ({
  ...(await original<typeof import('#main/engine/client/engineClient')>()),
  EngineClient: { start: vi.fn() },
}));

describe('render worker defaults', () => {
  it('runs one puppet engine per core, up to 4, and one diffusion worker', () => {
    expect(defaultWorkerCount({}, 1)).toBe(1);
    expect(defaultWorkerCount({}, 2)).toBe(2);
    expect(defaultWorkerCount({}, 16)).toBe(4);
    const diffusion = { diffusion: {} as never };
    expect(defaultWorkerCount(diffusion, 16)).toBe(1);
  });

  it('leaves a core to the main process and ffmpeg, and never gives an engine 0 threads', () => {
    expect(engineThreads(1, 2)).toBe(1);
    expect(engineThreads(2, 2)).toBe(1);
    expect(engineThreads(1, 8)).toBe(7);
    expect(engineThreads(4, 8)).toBe(1);
    expect(engineThreads(4, 1)).toBe(1);
  });
});

describe('startPuppetWorkers', () => {
  const setup = { picturePath: '/nowhere/picture.png', referencePose: new Float64Array(408) };

  it('closes the engines it started when another one fails to start (no orphan processes)', async () => {
    const close = vi.fn(async () => undefined);
    vi.mocked(EngineClient.start)
      .mockReset()
      .mockResolvedValueOnce({ close } as unknown as EngineClient)
      .mockRejectedValueOnce(new Error('engine process failed to start: out of memory'))
      .mockResolvedValueOnce({ close } as unknown as EngineClient);
    await expect(startPuppetWorkers(3, setup, { width: 64, height: 64 })).rejects.toThrow(
      'out of memory',
    );
    expect(close).toHaveBeenCalledTimes(2);
  });

  it('one worker per engine when all start', async () => {
    const close = vi.fn(async () => undefined);
    vi.mocked(EngineClient.start)
      .mockReset()
      .mockResolvedValue({ close } as unknown as EngineClient);
    const workers = await startPuppetWorkers(2, setup, { width: 64, height: 64 });
    expect(workers.map((w) => w.id)).toEqual(['puppet-1', 'puppet-2']);
    expect(close).not.toHaveBeenCalled();
  });
});
