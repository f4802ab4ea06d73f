/**
 * AnimatedDrawings characters (the three real rigs under ../shared/fixtures/drawings) imported as
 * Pose Studio characters, through the reader and the `import-character` CLI, and hostile folders.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnimatedDrawingsCharacter } from '#main/project/animatedDrawingsCharacter';
import { PoseFileError } from '#main/project/referencePose';
import { Joint } from '#shared/pose/skeleton';
import { runCliCaptured } from '#test/helpers/cliHarness';

const ROOT = resolve(__dirname, '../../..');
const DRAWINGS = resolve(ROOT, '../shared/fixtures/drawings');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-character-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const xy = (points: Float64Array, j: number) => [
  points[j * 3],
  points[j * 3 + 1],
  points[j * 3 + 2],
];

/** A copy of a fixture folder whose files the test may then spoil. */
async function copyOf(name: string, as: string): Promise<string> {
  const to = join(dir, as);
  await mkdir(to, { recursive: true });
  for (const f of ['char_cfg.yaml', 'texture.png', 'mask.png'])
    await copyFile(join(DRAWINGS, name, f), join(to, f));
  return to;
}

async function refusal(folder: string): Promise<string> {
  try {
    await readAnimatedDrawingsCharacter(folder);
  } catch (e) {
    expect(e).toBeInstanceOf(PoseFileError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('AnimatedDrawings characters', () => {
  it('char4 (a person): every body joint but eyes and ears, rig neck on the nose, torso on the neck', async () => {
    const c = await readAnimatedDrawingsCharacter(join(DRAWINGS, 'char4'));
    const p = c.pose.people[0]!.points;
    expect([c.pose.width, c.pose.height]).toEqual([216, 475]);
    expect(xy(p, Joint.nose)).toEqual([124, 68, 1]);
    expect(xy(p, Joint.neck)).toEqual([113, 193, 1]);
    expect(xy(p, Joint.rWrist)).toEqual([22, 64, 1]);
    expect(xy(p, Joint.lAnkle)).toEqual([124, 458, 1]);
    expect(c.warnings).toEqual([]);
    // The same pose AnimatedDrawings' own rest pose gives (rest_pose.json, made from the rig).
    const rest = JSON.parse(await readFile(join(DRAWINGS, 'char4/rest_pose.json'), 'utf8')) as {
      people: { pose_keypoints_2d: number[] }[];
    };
    expect(Array.from(p.slice(0, 42))).toEqual(rest.people[0]!.pose_keypoints_2d.slice(0, 42));
    expect(c.picturePath.endsWith('texture.png') && c.maskPath.endsWith('mask.png')).toBe(true);
  });

  it('char5 (six arms): the first arm pair, the other four arms named as left out', async () => {
    const c = await readAnimatedDrawingsCharacter(join(DRAWINGS, 'char5'));
    const p = c.pose.people[0]!.points;
    expect(xy(p, Joint.rShoulder)).toEqual([82, 186, 1]);
    expect(xy(p, Joint.lWrist)).toEqual([227, 199, 1]);
    expect(c.warnings.map((w) => w.code)).toEqual([
      'limb-variant-chosen',
      'limb-variant-chosen',
      'unmapped-joints',
    ]);
    expect(c.warnings[2]!.joints).toHaveLength(12);
  });

  it('char6 (four legs): front legs drive the arms, hind legs the legs; nothing left out', async () => {
    const c = await readAnimatedDrawingsCharacter(join(DRAWINGS, 'char6'));
    const p = c.pose.people[0]!.points;
    expect(xy(p, Joint.rShoulder)).toEqual([442, 245, 1]);
    expect(xy(p, Joint.lWrist)).toEqual([360, 336, 1]);
    expect(xy(p, Joint.rHip)).toEqual([139, 266, 1]);
    expect(xy(p, Joint.lAnkle)).toEqual([47, 308, 1]);
    expect(c.warnings.map((w) => w.code)).toEqual([
      'limb-variant-chosen',
      'limb-variant-chosen',
      'limb-variant-chosen',
      'limb-variant-chosen',
    ]);
    expect(c.warnings[0]!.joints).toEqual(['right_hip_f', 'right_knee_f', 'right_foot_f']);
  });

  it('pose-studio import-character makes a project with picture, mask and pose, and never writes over one', async () => {
    const out = join(dir, 'proj6');
    const a = await runCliCaptured(['import-character', join(DRAWINGS, 'char6'), '-o', out], dir);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/warning \(limb-variant-chosen\): the rig has 2 right legs and no arms/);
    const project = JSON.parse(await readFile(join(out, 'project.json'), 'utf8')) as {
      characters: { picture: string; mask: string; referencePose: number[] }[];
    };
    expect(project.characters[0]!.mask).toBe('assets/mask.png');
    expect(project.characters[0]!.referencePose.slice(0, 3)).toEqual([455, 121, 1]);
    const before = await readFile(join(out, 'project.json'));
    const again = await runCliCaptured(
      ['import-character', join(DRAWINGS, 'char4'), '-o', out],
      dir,
    );
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/already holds a project/);
    expect(await readFile(join(out, 'project.json'))).toEqual(before);
  });

  it('hostile folders: a link out, a wrong-size mask, a huge, truncated or NaN config, a missing file', async () => {
    const out = await copyOf('char4', 'link-out');
    await rm(join(out, 'mask.png'));
    await symlink(join(DRAWINGS, 'char4/mask.png'), join(out, 'mask.png'));
    expect(await refusal(out)).toMatch(/links outside the character folder/);

    const small = await copyOf('char4', 'small-mask');
    await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } })
      .png()
      .toFile(join(small, 'mask.png'));
    expect(await refusal(small)).toMatch(/is 20×20 but char_cfg\.yaml says 216×475/);

    const huge = await copyOf('char4', 'huge');
    await writeFile(join(huge, 'char_cfg.yaml'), `# ${'x'.repeat(8 * 1024 * 1024)}\n`);
    expect(await refusal(huge)).toMatch(/larger than/);

    const cut = await copyOf('char4', 'truncated');
    const text = await readFile(join(DRAWINGS, 'char4/char_cfg.yaml'), 'utf8');
    await writeFile(join(cut, 'char_cfg.yaml'), text.slice(0, text.indexOf('right_elbow') + 4));
    expect(await refusal(cut)).toMatch(/char_cfg\.yaml/);

    const nan = await copyOf('char4', 'nan');
    await writeFile(join(nan, 'char_cfg.yaml'), text.replace('- 92\n  - 326', '- .nan\n  - 1e308'));
    expect(await refusal(nan)).toMatch(/x is NaN/);

    const typed = await copyOf('char4', 'typed');
    await writeFile(join(typed, 'char_cfg.yaml'), text.replace('width: 216', 'width: [216]'));
    expect(await refusal(typed)).toMatch(/width: must be a whole number/);

    const none = await copyOf('char4', 'no-joints');
    await writeFile(
      join(none, 'char_cfg.yaml'),
      'width: 216\nheight: 475\nskeleton:\n- {name: root, loc: [1, 1], parent: null}\n',
    );
    expect(await refusal(none)).toMatch(/maps to 0 COCO-18 joints/);

    const missing = await copyOf('char4', 'missing');
    await rm(join(missing, 'texture.png'));
    expect(await refusal(missing)).toMatch(/texture\.png: is missing/);

    const failed = await runCliCaptured(
      ['import-character', missing, '-o', join(dir, 'never')],
      dir,
    );
    expect(failed.code).not.toBe(0);
    await expect(readFile(join(dir, 'never', 'project.json'))).rejects.toThrow();
  });
});
