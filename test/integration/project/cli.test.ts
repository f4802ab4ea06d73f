import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { sampleProject } from '#shared/project/testProjects';

const FIX = '/work/shared/fixtures';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pose-studio info', () => {
  it('describes a minimal valid project ({"version": 1}) and says what a render still needs', async () => {
    await writeFile(join(dir, 'project.json'), '{"version": 1}');
    const c = await runCliCaptured(['info', dir]);
    expect(c).toMatchObject({ code: 0, err: '' });
    expect(c.out).toMatch(/^Untitled {2}\(/);
    expect(c.out).toMatch(/frames: 120 \[0, 120\) = 5\.00 s at 24 fps/);
    expect(c.out).toMatch(
      /not ready to render: characters: the project has no character to render/,
    );
    const j = await runCliCaptured(['info', dir, '--json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({
      name: 'Untitled',
      characters: 0,
      output: { width: 512, height: 512, fps: 24, frames: 120 },
      notReady: 'characters: the project has no character to render',
    });
  });

  it('still exits 2 with one line for a project that cannot be read', async () => {
    await writeFile(join(dir, 'project.json'), '{"version": 1, "output": {"fps": 1e-300}}');
    const c = await runCliCaptured(['info', dir]);
    expect(c.code).toBe(2);
    expect(c.err.trim().split('\n')).toHaveLength(1);
    expect(c.err).toMatch(/output\.fps: must be at least 1 frame per second/);
  });
});

describe('pose-studio project', () => {
  it('creates a default project that validates', async () => {
    const c = await runCliCaptured(['project', 'create', 'p', '--name', 'My film'], dir);
    expect(c).toMatchObject({ code: 0, err: '' });
    expect(c.out).toMatch(/created "My film"/);
    const v = await runCliCaptured(['project', 'validate', 'p'], dir);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^ok: "My film"/);
    expect(v.out).toMatch(/characters: 0/);
    expect(v.out).toMatch(/tracks: 0/);
    expect(v.out).toMatch(/frames: 120 \[0, 120\) = 5\.00 s at 24 fps/);
    expect(v.out).toMatch(/generator: puppet/);
  });

  it('creates a character from a real picture and a real OpenPose file', async () => {
    const c = await runCliCaptured(
      [
        'project',
        'create',
        'p',
        '--picture',
        `${FIX}/photos/spin_im1010.jpg`,
        '--pose',
        `${FIX}/poses/spin_im1010_openpose.json`,
        '--character',
        'Batter',
      ],
      dir,
    );
    expect(c.code).toBe(0);
    expect(c.out).toMatch(
      /character: Batter \(assets\/spin_im1010\.jpg, 153×192, \d+ of 136 points\)/,
    );
    const project = JSON.parse(await readFile(join(dir, 'p', 'project.json'), 'utf8'));
    expect(project.characters[0].picture).toBe('assets/spin_im1010.jpg');
    expect(project.characters[0].referencePose.slice(0, 3)).toEqual([66.4171, 47.0342, 0.614349]);
    expect(project.render.characterId).toBe(project.characters[0].id);
    // The output is the picture's own size (MP4: one column less for even sides), not 512².
    expect([project.output.width, project.output.height]).toEqual([152, 192]);
    expect(c.out).toMatch(/output: 152×192 mp4/);
    const v = await runCliCaptured(['project', 'validate', join(dir, 'p')]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/characters: 1 \(Batter\)/);
    expect(v.out).not.toMatch(/warning/);
  });

  it('summarises tracks and lists missing files as warnings (exit 0)', async () => {
    await writeFile(join(dir, 'project.json'), JSON.stringify(sampleProject()));
    const v = await runCliCaptured(['project', 'validate', '.'], dir);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(
      /tracks: 1 \(Walk: 2 people, 6 keyframes, keyframes at frames 0–30, 512×512 @ 24 fps\)/,
    );
    expect(v.out).toMatch(/warning: characters\[0\]\.picture: assets\/hero\.png does not exist/);
  });

  it('validates the sample project shipped in assets/ without warnings', async () => {
    const v = await runCliCaptured([
      'project',
      'validate',
      join(import.meta.dirname, '../../../assets/sample-project'),
    ]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^ok: /);
    expect(v.out).not.toMatch(/warning/);
  });

  it('exits 2 with one line naming the file and the field of an invalid project', async () => {
    const raw = sampleProject() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    raw.tracks[0].people[1].keyframes[3].frame = 20;
    await writeFile(join(dir, 'project.json'), JSON.stringify(raw));
    const v = await runCliCaptured(['project', 'validate', dir]);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toHaveLength(1);
    expect(v.err).toBe(
      `pose-studio: ${join(dir, 'project.json')}: tracks[0].people[1].keyframes[3].frame: 20 is the same frame as keyframes[2] (one keyframe per frame)`,
    );
  });

  it('exits 2 on corrupt JSON, a missing project and bad arguments', async () => {
    await writeFile(join(dir, 'project.json'), '{ nope');
    const cases: [string[], RegExp][] = [
      [['project', 'validate', dir], /project: is not valid JSON/],
      [['project', 'validate', join(dir, 'missing')], /no project\.json here/],
      [['project', 'validate'], /needs a project folder/],
      [['project', 'frobnicate'], /unknown project command "frobnicate"/],
      [['project', 'create', join(dir, 'x'), '--pose', 'p.json'], /--pose needs --picture/],
      [['project', 'create', dir], /already holds a project/],
      [
        ['project', 'create', dir, '--picture', `${FIX}/photos/spin_im1010.jpg`],
        /already holds a project/,
      ],
      [['project', 'create', join(dir, 'y'), '--picture', `${FIX}/README.md`], /not a picture/],
      [
        [
          'project',
          'create',
          join(dir, 'z'),
          '--picture',
          `${FIX}/photos/spin_im1010.jpg`,
          '--pose',
          `${FIX}/README.md`,
        ],
        /is not valid JSON/,
      ],
    ];
    for (const [argv, reason] of cases) {
      const r = await runCliCaptured(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(reason);
    }
    // Failed creates leave nothing behind; the corrupt file is untouched.
    expect((await readdir(dir)).sort()).toEqual(['project.json']);
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe('{ nope');
  });
});
