import { describe, expect, it } from 'vitest';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderStarting } from '#shared/render/progress';
import type { RenderWorker } from '#shared/render/worker';
import type { ProjectRender } from '#main/scheduler/job/projectRender';
import { startRenderWorkers } from './startRenderWorkers';
import type { StartWorkers } from './workers';

/** A puppet project as far as starting workers looks at it. */
const job = {
  width: 64,
  height: 64,
  picturePath: '/nowhere/picture.png',
  character: { referencePose: [0, 0, 1] },
} as unknown as ProjectRender;

/** A worker whose character set-up ends when the test says (or fails). */
class SlowWorker implements RenderWorker {
  closed = false;
  private finish!: (ok: boolean) => void;
  readonly setUp = new Promise<boolean>((r) => (this.finish = r));
  constructor(readonly id: string) {}
  ready(ok = true) {
    this.finish(ok);
  }
  async warmUp() {
    if (!(await this.setUp))
      throw new Error('engine process killed by SIGKILL during setupCharacter');
  }
  async renderSegment(): Promise<never> {
    throw new Error('not in these tests');
  }
  async close() {
    this.closed = true;
  }
}

/** Engines that come up one at a time, when the test releases each. */
function enginesOnCue(count: number) {
  const workers = Array.from({ length: count }, (_, i) => new SlowWorker(`puppet-${i + 1}`));
  const releases: (() => void)[] = [];
  const start: StartWorkers = async (n, _setup, _output, events) => {
    expect(n).toBe(count);
    await Promise.all(
      workers.map(
        () =>
          new Promise<void>((r) =>
            releases.push(() => {
              events?.engineReady?.();
              r();
            }),
          ),
      ),
    );
    return workers;
  };
  return { workers, releases, start };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const counts = (events: RenderStarting[]) => events.map((e) => `${e.step} ${e.ready}/${e.total}`);

describe('starting a render’s workers', () => {
  it('counts engines as each comes up, then characters as each is set up', async () => {
    const { workers, releases, start } = enginesOnCue(2);
    const events: RenderStarting[] = [];
    let clock = 1000;
    const started = startRenderWorkers(job, 2, start, {
      jobId: 'j1',
      startedAt: 400,
      now: () => clock,
      onEvent: (e) => events.push(e),
    });
    await tick();
    expect(counts(events)).toEqual(['engines 0/2']);
    clock = 4000;
    releases[1]!();
    await tick();
    expect(counts(events)).toEqual(['engines 0/2', 'engines 1/2']);
    expect(events[1]).toMatchObject({ type: 'starting', jobId: 'j1', elapsedMs: 3600 });
    releases[0]!();
    await tick();
    await tick();
    expect(counts(events).slice(2)).toEqual(['engines 2/2', 'character 0/2']);
    workers[0]!.ready();
    await tick();
    expect(counts(events).at(-1)).toBe('character 1/2');
    workers[1]!.ready();
    expect(await started).toBe(workers);
    expect(counts(events).at(-1)).toBe('character 2/2');
  });

  it('a set-up that fails is left to the first segment (its retries), not counted as ready', async () => {
    const { workers, releases, start } = enginesOnCue(2);
    const events: RenderStarting[] = [];
    const started = startRenderWorkers(job, 2, start, {
      jobId: 'j',
      onEvent: (e) => events.push(e),
    });
    await tick();
    releases.forEach((r) => r());
    await tick();
    await tick();
    workers[0]!.ready(false);
    workers[1]!.ready();
    expect(await started).toHaveLength(2);
    expect(counts(events).at(-1)).toBe('character 1/2');
    expect(workers.some((w) => w.closed)).toBe(false);
  });

  it('workers with no engine of their own (the farm) are all up when started', async () => {
    const plain: RenderWorker = {
      id: 'farm-1',
      renderSegment: async () => [],
      close: async () => {},
    };
    const events: RenderStarting[] = [];
    await startRenderWorkers(job, 1, async () => [plain], {
      jobId: 'j',
      onEvent: (e) => events.push(e),
    });
    expect(counts(events)).toEqual(['engines 0/1', 'engines 1/1']);
  });

  it('a cancel while engines start answers at once and closes them when they arrive', async () => {
    const { workers, releases, start } = enginesOnCue(2);
    const abort = new AbortController();
    const started = startRenderWorkers(job, 2, start, { jobId: 'j', signal: abort.signal });
    await tick();
    abort.abort();
    await expect(started).rejects.toBeInstanceOf(CancelledError);
    expect(workers.some((w) => w.closed)).toBe(false); // still starting: nothing to close yet
    releases.forEach((r) => r());
    await tick();
    await tick();
    expect(workers.every((w) => w.closed)).toBe(true);
  });

  it('a cancel during the character set-up closes the workers', async () => {
    const { workers, releases, start } = enginesOnCue(2);
    const abort = new AbortController();
    const started = startRenderWorkers(job, 2, start, { jobId: 'j', signal: abort.signal });
    await tick();
    releases.forEach((r) => r());
    await tick();
    await tick();
    abort.abort();
    await expect(started).rejects.toBeInstanceOf(CancelledError);
    expect(workers.every((w) => w.closed)).toBe(true);
  });

  it('an engine that cannot start fails the start with its reason', async () => {
    const start: StartWorkers = async () => {
      throw new Error('engine process failed to start: no onnxruntime binding');
    };
    await expect(startRenderWorkers(job, 2, start, { jobId: 'j' })).rejects.toThrow(
      /no onnxruntime binding/,
    );
    const abort = new AbortController();
    abort.abort();
    await expect(
      startRenderWorkers(job, 2, start, { jobId: 'j', signal: abort.signal }),
    ).rejects.toThrow();
  });
});
