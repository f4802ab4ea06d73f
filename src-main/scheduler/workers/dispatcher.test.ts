import { describe, expect, it } from 'vitest';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher, Priority } from './dispatcher';
import type { RenderWorker } from '#shared/render/worker';

const worker = (id: string): RenderWorker => ({
  id,
  renderSegment: async () => [],
  close: async () => {},
});

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

describe('Dispatcher', () => {
  it('runs one task per worker and previews before final renders', async () => {
    const d = new Dispatcher([worker('w1')]);
    const order: string[] = [];
    const g = gate();
    const first = d.submit(async () => {
      await g.p;
      order.push('running');
    });
    const tasks = [
      d.submit(async () => order.push('final-1'), { priority: Priority.final }),
      d.submit(async () => order.push('preview'), { priority: Priority.preview }),
      d.submit(async () => order.push('final-2'), { priority: Priority.final }),
    ];
    expect(d.busy).toBe(1);
    expect(d.queued).toBe(3);
    g.open();
    await Promise.all([first, ...tasks]);
    expect(order).toEqual(['running', 'preview', 'final-1', 'final-2']);
  });

  it('uses every worker in parallel', async () => {
    const d = new Dispatcher([worker('a'), worker('b')]);
    const seen = new Set<string>();
    const g = gate();
    const ts = [1, 2].map(() =>
      d.submit(async (w) => {
        seen.add(w.id);
        await g.p;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(new Set(['a', 'b']));
    g.open();
    await Promise.all(ts);
  });

  it('pauses and resumes without losing tasks', async () => {
    const d = new Dispatcher([worker('w')]);
    d.pause();
    let ran = false;
    const t = d.submit(async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(ran).toBe(false);
    d.resume();
    await t;
    expect(ran).toBe(true);
  });

  it('drops a cancelled queued task with CancelledError', async () => {
    const d = new Dispatcher([worker('w')]);
    const g = gate();
    const busy = d.submit(() => g.p);
    const ac = new AbortController();
    let ran = false;
    const t = d.submit(
      async () => {
        ran = true;
      },
      { signal: ac.signal },
    );
    ac.abort();
    await expect(t).rejects.toBeInstanceOf(CancelledError);
    g.open();
    await busy;
    expect(ran).toBe(false);
    expect(d.queued).toBe(0);
  });
});
