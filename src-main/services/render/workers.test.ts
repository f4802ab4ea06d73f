import { describe, expect, it } from 'vitest';
import { defaultWorkerCount, engineThreads } from './workers';

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
