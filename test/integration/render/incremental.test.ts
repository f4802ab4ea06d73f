import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import type { FakeWorker } from '#test/helpers/fakeWorker';
import { captureIO, copySample, fakeWorkers } from './helpers';

/**
 * A 3,000-frame project (the sample dance's keyframes repeated every 30 frames, 24-frame segments,
 * 128×128 output so the test stays fast). Workers are the fake pose-drawing worker: this test is
 * about which segments are recomputed, which the plan hashes and the cache decide; ffmpeg is real.
 */
const FRAMES = 3000;
const KEY_STEP = 30;
const { root, project } = copySample('ps-incremental-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeLongProject(editFrame?: number) {
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const dance = p.tracks.find((t: { id: string }) => t.id === 'dance');
  const source = dance.people[0].keyframes as { points: number[] }[];
  const keyframes = [];
  for (let f = 0, i = 0; f < FRAMES; f += KEY_STEP, i++) {
    const points = [...source[i % source.length]!.points];
    if (f === editFrame) points[4 * 3] = points[4 * 3]! + 25; // move the right wrist of this keyframe
    keyframes.push({ id: `k${f}`, frame: f, points, easing: { kind: 'linear' } });
  }
  dance.people[0].keyframes = keyframes;
  p.output = { ...p.output, width: 128, height: 128, range: { from: 0, to: FRAMES } };
  writeFileSync(file, JSON.stringify(p));
}

async function render(): Promise<{
  rendered: number[];
  finished: { segmentsRendered: number; segmentsCached: number; frames: number };
}> {
  const workers: FakeWorker[] = [];
  const c = captureIO(root);
  const code = await runRender(
    [project, '-o', join(root, 'long.mp4'), '--json', '--workers', '2'],
    c.io,
    {
      startWorkers: fakeWorkers(workers),
      env: process.env,
    },
  );
  expect(c.err).toEqual([]);
  expect(code).toBe(0);
  return {
    rendered: workers.flatMap((w) => w.rendered).sort((a, b) => a - b),
    finished: JSON.parse(c.out.at(-1)!),
  };
}

describe('incremental render after an edit', () => {
  it('re-renders only the segments whose frames the edited keyframe influences', async () => {
    writeLongProject();
    const first = await render();
    expect(first.finished).toMatchObject({
      frames: FRAMES,
      segmentsRendered: 125,
      segmentsCached: 0,
    });

    const edited = 1500;
    writeLongProject(edited);
    const second = await render();
    // Linear easing: the keyframe at 1500 moves frames 1471–1529 (between its neighbours 1470 and
    // 1530, which stay put). With 24-frame segments those are segments 61 (1464–1487),
    // 62 (1488–1511) and 63 (1512–1535).
    const affected = new Set<number>();
    for (let f = edited - KEY_STEP + 1; f < edited + KEY_STEP; f++)
      affected.add(Math.floor(f / 24));
    expect([...affected]).toEqual([61, 62, 63]);
    expect(second.rendered).toEqual([61, 62, 63]);
    expect(second.finished).toMatchObject({
      frames: FRAMES,
      segmentsRendered: 3,
      segmentsCached: 122,
    });
  }, 120_000);
});
