import { describe, expect, it } from 'vitest';
import { FarmLanes } from './farmLanes';

describe('FarmLanes', () => {
  it('draws a segment on the lane of the worker that started it, until it arrives', () => {
    let t = 0;
    const lanes = new FarmLanes(() => t);
    lanes.queued('h1', { index: 0, start: 0, end: 24 });
    lanes.started('h1', 'a:1');
    lanes.started('h1', 'a:1'); // a repeated progress event is one block
    t = 1000;
    lanes.ended('h1', true);
    expect(lanes.snapshot()).toEqual([
      { worker: 'a:1', index: 0, start: 0, end: 24, state: 'done', startedAt: 0, endedAt: 1000 },
    ]);
  });

  it('a segment taken over by another worker leaves a failed block on the first lane', () => {
    let t = 0;
    const lanes = new FarmLanes(() => t);
    lanes.queued('h2', { index: 1, start: 24, end: 48 });
    lanes.started('h2', 'killed:1');
    t = 500;
    lanes.started('h2', 'b:2');
    t = 900;
    lanes.ended('h2', true);
    expect(lanes.snapshot().map((l) => [l.worker, l.state, l.endedAt])).toEqual([
      ['killed:1', 'failed', 500],
      ['b:2', 'done', 900],
    ]);
  });

  it('ignores other renders’ jobs; a delivery whose start was not heard is kept as unknown', () => {
    const lanes = new FarmLanes(() => 7);
    lanes.started('other', 'a:1');
    lanes.ended('other', true);
    expect(lanes.snapshot()).toEqual([]);
    lanes.queued('h3', { index: 2, start: 48, end: 72 });
    lanes.ended('h3', true);
    expect(lanes.snapshot()[0]).toMatchObject({ worker: '(unknown)', state: 'done' });
    lanes.queued('h4', { index: 3, start: 72, end: 96 });
    lanes.started('h4', 'a:1');
    lanes.ended('h4', false);
    expect(lanes.snapshot()[1]).toMatchObject({ worker: 'a:1', state: 'failed' });
  });
});
