import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, type MotionSummary } from '#shared/api/index';
import { SAMPLE_PROJECT_DIR } from '#main/project/sampleCopy';
import { motionHandlers } from './motions';
import { projectStoreAdapter } from './projectAdapter';

const root = mkdtempSync(join(tmpdir(), 'ps-motions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function sampleCopy(name: string) {
  const folder = join(root, name);
  cpSync(SAMPLE_PROJECT_DIR, folder, { recursive: true });
  return projectStoreAdapter().open(folder);
}

describe('the motion picker’s list', () => {
  it('lists the four shipped motions with looping previews, without a project', async () => {
    const list = await motionHandlers({ project: () => null })['motions.list']();
    expect(list.map((m) => [m.source, m.id, m.name])).toEqual([
      ['shipped', 'wave', 'Wave'],
      ['shipped', 'walk', 'Walk'],
      ['shipped', 'jump', 'Jump'],
      ['shipped', 'dance', 'Dance'],
    ]);
    const dance = list.find((m) => m.id === 'dance')!;
    expect(dance.seconds).toBeCloseTo(12, 0);
    expect(dance.preview.frames.length).toBe(96); // 12 s at 8 frames/s
    // The preview moves: the first and middle frames differ.
    expect(dance.preview.frames[48]).not.toEqual(dance.preview.frames[0]);
    // Small on the wire: a few tens of kB for all four.
    expect(JSON.stringify(list).length).toBeLessThan(200_000);
  });

  it('adds the open project’s tracks that have keys, marking the one it renders', async () => {
    const project = await sampleCopy('own');
    const list = await motionHandlers({ project: () => project })['motions.list']();
    const own = list.filter((m: MotionSummary) => m.source === 'project');
    expect(own.map((m) => m.id)).toEqual(['wave', 'walk', 'jump', 'dance']);
    expect(own.filter((m) => m.current).map((m) => m.id)).toEqual(['dance']);
  });

  it('gives a whole track, and says when a motion does not exist', async () => {
    const h = motionHandlers({ project: () => null });
    const wave = await h['motions.get']({ source: 'shipped', id: 'wave' });
    expect(wave.people[0]!.keyframes.length).toBe(81);
    await expect(h['motions.get']({ source: 'shipped', id: 'moonwalk' })).rejects.toMatchObject({
      code: 'not-found',
      hint: expect.stringContaining('Pick one'),
    });
    await expect(h['motions.get']({ source: 'project', id: 'wave' })).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('a damaged project.json is an error with a hint, not a crash', async () => {
    const project = await sampleCopy('damaged');
    writeFileSync(join(project.folder, 'project.json'), '{"version": 1, "tracks": [');
    await expect(
      motionHandlers({ project: () => project })['motions.list'](),
    ).rejects.toMatchObject({ code: 'invalid-project', hint: expect.any(String) });
  });
});
