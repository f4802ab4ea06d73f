import { describe, expect, it } from 'vitest';
import type { RenderProgress } from '#shared/api/index';
import {
  activeStartup,
  etaText,
  jobActions,
  jobNumbersText,
  jobPercent,
  runningJobCount,
  stageColour,
  startupLine,
  stripLabel,
} from './jobProgress';

function progress(patch: Partial<RenderProgress> = {}): RenderProgress {
  return {
    jobId: 'j1',
    stage: 'rendering',
    framesDone: 24,
    framesTotal: 48,
    framesPerSecond: 3.25,
    etaSeconds: 7.4,
    segmentIndex: 1,
    segmentCount: 2,
    thumbnail: null,
    ...patch,
  };
}
/** A progress event as the page may receive it: not validated, so any JSON value. */
const hostile = (patch: Record<string, unknown>) =>
  ({ ...progress(), ...patch }) as unknown as RenderProgress;

describe('render queue numbers', () => {
  it('reads as the user expects for a running job', () => {
    expect(jobNumbersText(progress())).toBe(
      '50% · 24/48 frames · 3.3 frames/s · ETA 0:07 · segment 2/2',
    );
    expect(jobNumbersText(progress({ segmentIndex: null, etaSeconds: null }))).toBe(
      '50% · 24/48 frames · 3.3 frames/s · ETA —',
    );
    expect(jobNumbersText(progress({ framesDone: 47 }))).toMatch(/^97% /); // never rounds up to 100
  });

  it('the bar is 0 while the total is unknown and never leaves 0–100', () => {
    expect(jobPercent({ framesDone: 0, framesTotal: 0 })).toBe(0);
    expect(jobPercent({ framesDone: 5, framesTotal: 0 })).toBe(0);
    expect(jobPercent({ framesDone: 48, framesTotal: 48 })).toBe(100);
    // a late event of a job that was re-planned shorter
    expect(jobPercent({ framesDone: 96, framesTotal: 48 })).toBe(100);
    expect(jobNumbersText(progress({ framesDone: 96 }))).toMatch(/^100% · 96\/48 frames/);
    expect(jobPercent({ framesDone: -3, framesTotal: 48 })).toBe(0);
  });

  it('numbers that are not numbers show a dash instead of crashing or printing NaN', () => {
    // JSON turns NaN and Infinity into null; an unvalidated event may carry anything
    const text = jobNumbersText(
      hostile({ framesDone: null, framesTotal: 'x', framesPerSecond: null, etaSeconds: NaN }),
    );
    expect(text).toBe('0% · ?/? frames · — frames/s · ETA — · segment 2/2');
    expect(jobNumbersText(hostile({ framesPerSecond: Infinity }))).toMatch(/ — frames\/s/);
    expect(jobNumbersText(hostile({ segmentIndex: 'two' }))).not.toMatch(/segment/);
    expect(jobNumbersText(hostile({ segmentCount: null }))).toMatch(/segment 2\/\?$/);
  });

  it('an ETA is m:ss or h:mm:ss; a runaway estimate says "over 99 h"', () => {
    expect(etaText(0)).toBe('0:00');
    expect(etaText(59.6)).toBe('1:00');
    expect(etaText(3725)).toBe('1:02:05');
    expect(etaText(99 * 3600 + 59 * 60 + 59)).toBe('99:59:59');
    expect(etaText(100 * 3600)).toBe('over 99 h');
    expect(etaText(1e308)).toBe('over 99 h');
    expect(etaText(null)).toBe('—');
    expect(etaText(-1)).toBe('—');
    expect(etaText(Infinity)).toBe('—');
  });
});

describe('render queue stages', () => {
  it('offers pause and cancel while working, resume after a stop, nothing more when done', () => {
    for (const stage of ['queued', 'planning', 'rendering', 'encoding'])
      expect(jobActions(stage)).toEqual({ pause: true, resume: false, cancel: true });
    expect(jobActions('paused')).toEqual({ pause: false, resume: true, cancel: true });
    for (const stage of ['cancelled', 'failed'])
      expect(jobActions(stage)).toEqual({ pause: false, resume: true, cancel: false });
    expect(jobActions('done')).toEqual({ pause: false, resume: false, cancel: false });
    // a stage a newer host invented: no button that could act on a job in an unknown state
    expect(jobActions('uploading')).toEqual({ pause: false, resume: false, cancel: false });
  });

  it('colours the stage chip; an unknown stage gets the neutral colour', () => {
    expect(stageColour('done')).toBe('success');
    expect(stageColour('failed')).toBe('error');
    expect(stageColour('paused')).toBe('warning');
    expect(stageColour('cancelled')).toBe('warning');
    expect(stageColour('rendering')).toBe('primary');
    expect(stageColour('toString')).toBe('primary');
  });

  it('counts the jobs holding a worker (queued and paused ones do not)', () => {
    expect(runningJobCount({})).toBe(0);
    expect(
      runningJobCount({
        a: { stage: 'rendering' },
        b: { stage: 'encoding' },
        c: { stage: 'planning' },
        d: { stage: 'queued' },
        e: { stage: 'paused' },
        f: { stage: 'done' },
      }),
    ).toBe(3);
  });
});

describe('render start-up line', () => {
  const starting = (stage: string, startup: unknown) =>
    ({ ...progress({ framesDone: 0, etaSeconds: null }), stage, startup }) as RenderProgress;

  it('says which step the render waits for, with real counts and the seconds waited', () => {
    const s = activeStartup(
      starting('queued', { step: 'engines', ready: 1, total: 2, elapsedMs: 4200 }),
    )!;
    expect(startupLine(s, s.elapsedMs)).toBe('Starting engines (1/2)… 4 s');
    expect(startupLine({ ...s, step: 'character', ready: 0 }, 75_000)).toBe(
      'Setting up the character (0/2)… 1:15',
    );
    expect(startupLine({ ...s, step: 'preparing' }, 0)).toBe('Preparing the render… 0 s');
  });

  it('is gone once frames flow, and for a job that stopped while starting', () => {
    const startup = { step: 'engines', ready: 0, total: 2, elapsedMs: 10 };
    for (const stage of ['rendering', 'encoding', 'paused', 'cancelled', 'failed', 'done'])
      expect(activeStartup(starting(stage, startup))).toBeNull();
    expect(activeStartup(starting('queued', null))).toBeNull();
    expect(activeStartup(starting('queued', undefined))).toBeNull();
  });

  it('a malformed start-up (events are not validated in the page) shows the numbers instead', () => {
    for (const bad of [
      'engines',
      { step: 'toString', ready: 0, total: 2 },
      { step: 'engines', ready: -1, total: 2 },
      { step: 'engines', ready: 1.5, total: 2 },
      { step: 'engines', ready: null, total: 2 },
      { step: 'engines', ready: 0, total: Infinity },
    ])
      expect(activeStartup(starting('queued', bad))).toBeNull();
    // a count past its total is shown as the total; a nonsense time as 0 s
    const over = activeStartup(
      starting('planning', { step: 'engines', ready: 9, total: 2, elapsedMs: 'x' }),
    )!;
    expect(startupLine(over, over.elapsedMs)).toBe('Starting engines (2/2)… 0 s');
    expect(startupLine(over, NaN)).toBe('Starting engines (2/2)… 0 s');
    expect(startupLine(over, 1e308)).toBe('Starting engines (2/2)… over 99 h');
  });

  it('the segment strip is labelled with how many segments are where', () => {
    expect(stripLabel(['done', 'cached', 'rendering', 'queued', 'queued'], 5)).toBe(
      'Segments: 1 done, 1 from the cache, 1 rendering, 2 waiting',
    );
    expect(stripLabel(['done', 'queued'], 4000)).toBe(
      'Segments in 2 groups: 1 done, 0 from the cache, 0 rendering, 1 waiting',
    );
  });
});
