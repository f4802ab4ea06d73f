import { describe, expect, it } from 'vitest';
import { ProjectError } from './errors';
import { migrateProject } from './migrations';
import { PROJECT_VERSION } from './schema';
import { points, sampleProject } from './testProjects';

/** A project as the pre-release draft (format version 0) wrote it. */
function v0Project(): Record<string, unknown> {
  return {
    name: 'Draft',
    characters: [{ id: 'hero', name: 'Hero', picture: 'assets/hero.png', pose: points() }],
    tracks: [
      {
        id: 'walk',
        name: 'Walk',
        width: 640,
        height: 480,
        fps: 30,
        people: [
          {
            personId: 0,
            keyframes: [
              { id: 'a', frame: 0, points: points(), easing: 'hold' },
              { id: 'b', frame: 10, points: points(), easing: 'cubic-bezier(0.25, 0.1, 0.25, 1)' },
              { id: 'c', frame: 20, points: points(), easing: 'linear' },
            ],
          },
        ],
      },
    ],
    output: { width: 640, height: 480, fps: 30, frames: { start: 5, end: 99 }, format: 'webm' },
    generator: { id: 'puppet', params: {} },
    render: {
      segment: { length: 32, overlap: 4 },
      strategy: 'fused',
      seed: 9,
      characterId: 'hero',
      trackId: 'walk',
    },
  };
}

describe('migrateProject', () => {
  it('reads a current project unchanged, without migratedFrom', () => {
    const r = migrateProject(sampleProject());
    expect(r.migratedFrom).toBeUndefined();
    expect(r.project.version).toBe(PROJECT_VERSION);
    expect(r.project.name).toBe('Sample');
  });

  it('migrates the version-0 draft to version 1', () => {
    const r = migrateProject(v0Project());
    expect(r.migratedFrom).toBe(0);
    const p = r.project;
    expect(p.version).toBe(1);
    expect(p.characters[0]!.referencePose).toEqual(points());
    expect(p.tracks[0]!.people[0]!.keyframes.map((k) => k.easing)).toEqual([
      { kind: 'hold' },
      { kind: 'bezier', x1: 0.25, y1: 0.1, x2: 0.25, y2: 1 },
      { kind: 'linear' },
    ]);
    // Inclusive end 99 becomes exclusive 100: the same 95 frames.
    expect(p.output.range).toEqual({ from: 5, to: 100 });
    expect(p.render).toEqual({
      segmentLength: 32,
      overlap: 4,
      strategy: 'fused',
      seed: 9,
      characterId: 'hero',
      trackId: 'walk',
    });
  });

  it('treats an explicit version 0 like a missing version', () => {
    expect(migrateProject({ ...v0Project(), version: 0 }).migratedFrom).toBe(0);
  });

  it('names the field of a bad version-0 easing', () => {
    const raw = v0Project();
    (raw.tracks as any)[0].people[0].keyframes[1].easing = 'ease-in-out'; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(() => migrateProject(raw)).toThrow(
      expect.objectContaining({
        field: 'tracks[0].people[0].keyframes[1].easing',
        reason: expect.stringMatching(/"ease-in-out".*version 0/),
      }),
    );
  });

  it('names the field of a bad version-0 frame range', () => {
    const raw = v0Project();
    (raw.output as Record<string, unknown>).frames = { start: 0 };
    expect(() => migrateProject(raw)).toThrow(expect.objectContaining({ field: 'output.frames' }));
  });

  it('validates the migrated result against version 1 (a draft error still names the field)', () => {
    const raw = v0Project();
    (raw.characters as any)[0].pose = [1, 2, 3]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(() => migrateProject(raw)).toThrow(
      expect.objectContaining({ field: 'characters[0].referencePose' }),
    );
  });

  it('refuses a project from a newer Pose Studio clearly', () => {
    try {
      migrateProject({ ...sampleProject(), version: PROJECT_VERSION + 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProjectError);
      expect((e as ProjectError).field).toBe('version');
      expect((e as ProjectError).reason).toMatch(
        /newer than this Pose Studio reads \(up to 1\); update Pose Studio/,
      );
    }
  });

  it.each([[-1], [1.5], ['1'], [null]])('refuses version %j', (version) => {
    expect(() => migrateProject({ ...sampleProject(), version })).toThrow(
      expect.objectContaining({ field: 'version' }),
    );
  });

  it.each([[null], [[]], ['{}'], [42]])('refuses a non-object %j', (raw) => {
    expect(() => migrateProject(raw)).toThrow(
      expect.objectContaining({ field: 'project', reason: 'must be a JSON object' }),
    );
  });
});
