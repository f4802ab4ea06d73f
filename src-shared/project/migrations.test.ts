import { describe, expect, it } from 'vitest';
// The sample project as format version 1 saved it (a real old file; kept as it was).
import sampleV1File from '../../test/fixtures/projects/sample-project-v1.json';
import { ProjectError } from './errors';
import { migrateProject } from './migrations';
import { parseProject } from './parse';
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

  it('migrates the version-0 draft through version 1 to the current version', () => {
    const r = migrateProject(v0Project());
    expect(r.migratedFrom).toBe(0);
    const p = r.project;
    expect(p.version).toBe(PROJECT_VERSION);
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
      segmentOverlap: 4,
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

  it('validates the migrated result against the current version (a draft error still names the field)', () => {
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
        /newer than this Pose Studio reads \(up to 2\); update Pose Studio/,
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

  describe('version 1 → 2: render.overlap is called render.segmentOverlap', () => {
    /** The sample project as it was committed in format version 1 (kept as it was). */
    const sampleV1 = () => structuredClone(sampleV1File) as Record<string, unknown>;
    const v1 = (render: unknown) => ({ ...sampleProject(), version: 1, render });

    it('reads the real version-1 sample file with its overlap as segmentOverlap, nothing else changed', () => {
      const old = sampleV1();
      expect(old.version).toBe(1);
      expect((old.render as Record<string, unknown>).overlap).toBe(0);
      const r = migrateProject(old);
      expect(r.migratedFrom).toBe(1);
      expect(r.project.version).toBe(PROJECT_VERSION);
      expect(r.project.render.segmentOverlap).toBe(0);
      expect(r.project.render).not.toHaveProperty('overlap');
      // Nothing else changed: the migrated project is the old file under the new name.
      const { overlap, ...render } = old.render as Record<string, unknown>;
      expect(r.project).toEqual(
        parseProject({
          ...old,
          version: PROJECT_VERSION,
          render: { ...render, segmentOverlap: overlap },
        }),
      );
    });

    it('carries the value over and keeps every other render setting', () => {
      const render = {
        segmentLength: 16,
        overlap: 5,
        strategy: 'chained',
        seed: 3,
        characterId: 'hero',
        trackId: 'walk',
      };
      const r = migrateProject(v1(render));
      expect(r.migratedFrom).toBe(1);
      expect(r.project.render).toEqual({ ...render, overlap: undefined, segmentOverlap: 5 });
      expect(Object.keys(r.project.render)).not.toContain('overlap');
    });

    it('leaves a version-1 file without an overlap to the default', () => {
      expect(migrateProject(v1({ segmentLength: 12 })).project.render.segmentOverlap).toBe(0);
      expect(migrateProject({ version: 1 }).project.render.segmentOverlap).toBe(0);
    });

    it.each([
      ['a string', '4', /finite number/],
      ['a fraction', 2.5, /whole number/],
      ['NaN as null', null, /finite number/],
      ['1e308', 1e308, /at most 239 frames/],
      ['a negative number', -1, /too small|>=\s*0/],
    ])('names render.segmentOverlap for %s', (_, overlap, reason) => {
      expect(() => migrateProject(v1({ segmentLength: 240, overlap }))).toThrow(
        expect.objectContaining({
          field: 'render.segmentOverlap',
          reason: expect.stringMatching(reason),
        }),
      );
    });

    it('names the rule an old overlap breaks in the new words', () => {
      expect(() => migrateProject(v1({ segmentLength: 8, overlap: 8 }))).toThrow(
        expect.objectContaining({
          field: 'render.segmentOverlap',
          reason: '8 must be less than render.segmentLength 8',
        }),
      );
    });

    it('refuses a version-1 file holding both names instead of picking one', () => {
      expect(() => migrateProject(v1({ overlap: 2, segmentOverlap: 3 }))).toThrow(
        expect.objectContaining({
          field: 'render.overlap',
          reason: expect.stringMatching(/remove "overlap" or "segmentOverlap"/),
        }),
      );
    });

    it('tells a current-version file using the old name what it is called now', () => {
      expect(() =>
        migrateProject({ ...sampleProject(), render: { segmentLength: 8, overlap: 2 } }),
      ).toThrow(
        expect.objectContaining({
          field: 'render.overlap',
          reason: 'is called render.segmentOverlap since project format 2: rename it',
        }),
      );
    });

    it('leaves a render that is not an object for the schema to name', () => {
      expect(() => migrateProject(v1([1, 2]))).toThrow(
        expect.objectContaining({ field: 'render' }),
      );
      expect(() => migrateProject(v1('fast'))).toThrow(
        expect.objectContaining({ field: 'render' }),
      );
    });
  });
});
