import { describe, expect, it } from 'vitest';
import { busyTime, farmThroughput, summariseFarm, type FarmStatus } from './farmStatus';

const worker = (name: string) => ({
  name,
  host: name.split(':')[0]!,
  concurrency: 1,
  providers: ['cpu'],
  freeMemoryMb: 1000,
  generators: ['puppet'],
});

describe('busyTime', () => {
  it('counts overlapping intervals once and ignores empty or reversed ones', () => {
    expect(busyTime([])).toBe(0);
    expect(busyTime([[0, 10]])).toBe(10);
    expect(
      busyTime([
        [0, 10],
        [5, 15],
      ]),
    ).toBe(15);
    expect(
      busyTime([
        [20, 30],
        [0, 10],
      ]),
    ).toBe(20);
    expect(
      busyTime([
        [0, 100],
        [10, 20],
      ]),
    ).toBe(100);
    expect(
      busyTime([
        [5, 5],
        [9, 1],
      ]),
    ).toBe(0);
  });
});

describe('summariseFarm', () => {
  const status: FarmStatus = {
    redis: 'redis://:***@farm:6379',
    workers: [worker('a:1'), worker('b:2')],
    lanes: [
      { worker: 'a:1', index: 0, start: 0, end: 24, state: 'done', startedAt: 0, endedAt: 1000 },
      { worker: 'a:1', index: 2, start: 48, end: 72, state: 'done', startedAt: 500, endedAt: 2000 },
      {
        worker: 'b:2',
        index: 1,
        start: 24,
        end: 48,
        state: 'rendering',
        startedAt: 0,
        endedAt: null,
      },
      {
        worker: 'gone:3',
        index: 3,
        start: 72,
        end: 96,
        state: 'failed',
        startedAt: 0,
        endedAt: 10,
      },
    ],
  };

  it('per worker: segments and frames delivered, frames/s over busy time, what it holds now', () => {
    const [a, b, gone] = summariseFarm(status);
    expect(a).toEqual({
      name: 'a:1',
      online: true,
      segmentsDone: 2,
      framesDone: 48,
      framesPerSecond: 24, // 48 frames in 2 s busy (0–2000 ms, overlap counted once)
      rendering: [],
    });
    expect(b).toMatchObject({
      online: true,
      segmentsDone: 0,
      framesPerSecond: null,
      rendering: [1],
    });
    // A worker that left (killed) keeps its lane, offline.
    expect(gone).toMatchObject({ name: 'gone:3', online: false, segmentsDone: 0 });
  });

  it('the whole farm: frames delivered over the span from the first start to the last delivery', () => {
    expect(farmThroughput(status)).toBeCloseTo(24);
    expect(farmThroughput({ ...status, lanes: [] })).toBeNull();
  });
});
