import { describe, expect, it } from 'vitest';
import { createDefaultProject, defaultGenerator, newId } from './defaults';
import { ProjectError } from './errors';
import { parseProject, validateProject } from './parse';
import { PROJECT_VERSION } from './schema';
import { serializeProject } from './serialize';
import { points, sampleProject } from './testProjects';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Validates a copy of the sample project after `edit`, returns the first issue. */
function firstIssue(edit: (p: Mutable) => void): { field: string; reason: string } {
  const p = structuredClone(sampleProject()) as Mutable;
  edit(p);
  const r = validateProject(p);
  if (r.ok) throw new Error('expected the project to be invalid');
  return r.issues[0]!;
}

describe('project schema', () => {
  it('fills the documented defaults into a minimal file', () => {
    const p = parseProject({ version: PROJECT_VERSION });
    expect(p).toEqual({
      version: PROJECT_VERSION,
      name: 'Untitled',
      characters: [],
      tracks: [],
      output: { width: 512, height: 512, fps: 24, range: { from: 0, to: 120 }, format: 'mp4' },
      generator: { id: 'puppet', params: { background: 'plate' } },
      render: { segmentLength: 24, segmentOverlap: 0, strategy: 'independent', seed: 0 },
    });
    expect(createDefaultProject('Mine')).toEqual({ ...p, name: 'Mine' });
  });

  it('accepts the sample project and fills defaults inside it', () => {
    const p = parseProject(sampleProject());
    expect(p.tracks[0]!.people[1]!.keyframes[0]!.easing).toEqual({ kind: 'linear' });
    expect(p.characters[0]!.referenceFrames).toEqual([]);
    expect(p.render.characterId).toBe('hero');
  });

  it('fills diffusion defaults and keeps an explicit seed', () => {
    const p = parseProject({
      version: PROJECT_VERSION,
      generator: { id: 'diffusion', params: { pack: 'sd15', seed: 3 } },
    });
    expect(p.generator).toEqual({
      id: 'diffusion',
      params: {
        pack: 'sd15',
        steps: 25,
        guidance: 7.5,
        seed: 3,
        prompt: '',
        negativePrompt: '',
        controlnetScale: 1,
        crossFrame: 'off',
        stickWidth: 'classic',
        referenceMode: 'clean',
        styleFidelity: 0,
        referenceAdain: false,
      },
    });
    expect(() =>
      parseProject({
        version: PROJECT_VERSION,
        generator: { id: 'diffusion', params: { pack: 'sd15', crossFrame: 'first' } },
      }),
    ).toThrow(/crossFrame/);
    // Out of range says so (not "must be a finite number", which is for NaN, Infinity, strings).
    const tooBig = () =>
      parseProject({
        version: PROJECT_VERSION,
        generator: { id: 'diffusion', params: { pack: 'p', guidance: 60 } },
      });
    expect(tooBig).toThrow(/guidance.*(too big|<=\s*50)/i);
    expect(tooBig).not.toThrow(/finite/);
    expect(() =>
      parseProject({
        version: PROJECT_VERSION,
        generator: { id: 'diffusion', params: { pack: 'p', guidance: 'x' } },
      }),
    ).toThrow(/finite/);
    expect(defaultGenerator('diffusion', 'sd15').params).toMatchObject({ pack: 'sd15', steps: 25 });
    expect(defaultGenerator('puppet')).toEqual({ id: 'puppet', params: { background: 'plate' } });
  });

  it('normalises stored paths to forward slashes', () => {
    const p = parseProject({
      ...sampleProject(),
      characters: [
        { id: 'c', name: 'C', picture: 'assets\\sub\\.\\pic.png', referencePose: points() },
      ],
      render: {},
    });
    expect(p.characters[0]!.picture).toBe('assets/sub/pic.png');
  });

  it.each<[string, (p: Mutable) => void, string, RegExp]>([
    [
      'keyframe frame not after previous',
      (p) => (p.tracks[0].people[1].keyframes[3].frame = 20),
      'tracks[0].people[1].keyframes[3].frame',
      /same frame as keyframes\[2\]/,
    ],
    [
      'keyframes out of order',
      (p) => (p.tracks[0].people[1].keyframes[2].frame = 5),
      'tracks[0].people[1].keyframes[2].frame',
      /sorted/,
    ],
    [
      'negative frame',
      (p) => (p.tracks[0].people[0].keyframes[0].frame = -1),
      'tracks[0].people[0].keyframes[0].frame',
      /0 or more/,
    ],
    [
      'fractional frame',
      (p) => (p.tracks[0].people[0].keyframes[1].frame = 2.5),
      'tracks[0].people[0].keyframes[1].frame',
      /whole/,
    ],
    [
      'short points',
      (p) => p.tracks[0].people[1].keyframes[1].points.pop(),
      'tracks[0].people[1].keyframes[1].points',
      /408 numbers/,
    ],
    [
      'NaN point',
      (p) => (p.tracks[0].people[0].keyframes[0].points[5] = NaN),
      'tracks[0].people[0].keyframes[0].points[5]',
      /finite/,
    ],
    [
      'infinite point',
      (p) => (p.characters[1].referencePose[0] = Infinity),
      'characters[1].referencePose[0]',
      /finite/,
    ],
    [
      'string point',
      (p) => (p.characters[0].referencePose[3] = '1'),
      'characters[0].referencePose[3]',
      /finite/,
    ],
    [
      'unknown easing',
      (p) => (p.tracks[0].people[0].keyframes[0].easing = { kind: 'cubic' }),
      'tracks[0].people[0].keyframes[0].easing.kind',
      /hold.*linear.*bezier/,
    ],
    [
      'bezier x out of [0,1]',
      (p) => (p.tracks[0].people[1].keyframes[2].easing.x1 = 1.5),
      'tracks[0].people[1].keyframes[2].easing.x1',
      /between 0 and 1/,
    ],
    [
      'duplicate keyframe id',
      (p) => (p.tracks[0].people[1].keyframes[0].id = 'k0'),
      'tracks[0].people[1].keyframes[0].id',
      /already used by tracks\[0\]\.people\[0\]\.keyframes\[0\]/,
    ],
    [
      'duplicate person id',
      (p) => (p.tracks[0].people[1].personId = 0),
      'tracks[0].people[1].personId',
      /already used/,
    ],
    [
      'duplicate character id',
      (p) => (p.characters[1].id = 'hero'),
      'characters[1].id',
      /already used by characters\[0\]/,
    ],
    [
      'bad id characters',
      (p) => (p.tracks[0].id = 'walk cycle'),
      'tracks[0].id',
      /letters, digits/,
    ],
    ['missing picture', (p) => delete p.characters[0].picture, 'characters[0].picture', /required/],
    [
      'escaping picture',
      (p) => (p.characters[0].picture = 'assets/../../x.png'),
      'characters[0].picture',
      /escapes the project folder/,
    ],
    [
      'absolute mask',
      (p) => (p.characters[1].mask = '/etc/passwd'),
      'characters[1].mask',
      /absolute/,
    ],
    [
      'drive-letter frame',
      (p) => (p.characters[1].referenceFrames[0].picture = 'C:\\x.png'),
      'characters[1].referenceFrames[0].picture',
      /drive letter/,
    ],
    ['escaping audio', (p) => (p.output.audio = '../song.wav'), 'output.audio', /escapes/],
    ['zero canvas', (p) => (p.tracks[0].width = 0), 'tracks[0].width', /at least 1/],
    ['zero fps', (p) => (p.tracks[0].fps = 0), 'tracks[0].fps', /at least 1 frame per second/],
    [
      'empty range',
      (p) => (p.output.range = { from: 48, to: 48 }),
      'output.range.to',
      /greater than output\.range\.from 48/,
    ],
    [
      'range past the limit',
      (p) => (p.output.range.to = 1e9),
      'output.range.to',
      /at most 10000000/,
    ],
    ['odd mp4 width', (p) => (p.output.width = 511), 'output.width', /even for mp4/],
    ['unknown format', (p) => (p.output.format = 'avi'), 'output.format', /mp4/],
    [
      'unknown generator',
      (p) => (p.generator = { id: 'sora' }),
      'generator.id',
      /puppet.*diffusion/,
    ],
    [
      'diffusion without pack',
      (p) => (p.generator = { id: 'diffusion', params: { steps: 20 } }),
      'generator.params.pack',
      /required/,
    ],
    [
      'diffusion steps 0',
      (p) => (p.generator = { id: 'diffusion', params: { pack: 'x', steps: 0 } }),
      'generator.params.steps',
      /.+/,
    ],
    [
      'puppet background',
      (p) => (p.generator.params.background = 'red'),
      'generator.params.background',
      /#rrggbb/,
    ],
    [
      'overlap ≥ segment length',
      (p) => (p.render.segmentOverlap = 24),
      'render.segmentOverlap',
      /less than render\.segmentLength 24/,
    ],
    ['unknown strategy', (p) => (p.render.strategy = 'blend'), 'render.strategy', /independent/],
    [
      'missing character',
      (p) => (p.render.characterId = 'villain'),
      'render.characterId',
      /"villain" is not the id of any character/,
    ],
    [
      'missing track',
      (p) => (p.render.trackId = 'run'),
      'render.trackId',
      /"run" is not the id of any track/,
    ],
    ['misspelt field', (p) => (p.output.fsp = 30), 'output.fsp', /not a field/],
    ['wrong version type', (p) => (p.version = '2'), 'version', /.+/],
  ])('rejects %s, naming the field', (_name, edit, field, reason) => {
    const issue = firstIssue(edit);
    expect(issue.field).toBe(field);
    expect(issue.reason).toMatch(reason);
  });

  it('parseProject throws a ProjectError with field and reason', () => {
    const bad = structuredClone(sampleProject()) as Mutable;
    bad.tracks[0].people[1].keyframes[3].frame = 20;
    try {
      parseProject(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProjectError);
      const pe = e as ProjectError;
      expect(pe.field).toBe('tracks[0].people[1].keyframes[3].frame');
      expect(pe.message).toMatch(
        /^tracks\[0\]\.people\[1\]\.keyframes\[3\]\.frame: 20 is the same frame/,
      );
    }
  });

  it('serialises with point lists on one line and reads back exactly', () => {
    const p = parseProject(sampleProject());
    p.characters[0]!.referencePose[0] = 0.1 + 0.2;
    p.characters[0]!.referencePose[1] = -1e-7;
    const text = serializeProject(p);
    expect(text.split('\n').length).toBeLessThan(200);
    expect(parseProject(JSON.parse(text))).toEqual(p);
    expect(text).toMatch(/"referencePose": \[0\.30000000000000004, -1e-7, 1, /);
  });

  it('makes fresh ids that avoid taken ones', () => {
    const a = newId('char');
    expect(a).toMatch(/^char-[0-9a-f]{12}$/);
    expect(newId('char', [a])).not.toBe(a);
    expect(
      parseProject({
        version: PROJECT_VERSION,
        tracks: [{ id: newId('track'), name: 'T', width: 8, height: 8 }],
      }).tracks,
    ).toHaveLength(1);
  });
});
