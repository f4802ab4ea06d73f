import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, characterState, parseParams, type CharacterState } from '#shared/api/index';
import { StoredProject, projectStoreAdapter } from './projectAdapter';

/** Undo of a character change on real projects in temp folders: what comes back, what is refused. */
const root = mkdtempSync(join(tmpdir(), 'ps-character-restore-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
async function projectWithTwoPictures(): Promise<StoredProject> {
  const p = (await projectStoreAdapter().create({
    folder: join(root, `p${n++}`),
    name: 'Restore test',
    size: { width: 512, height: 512 },
    fps: 24,
  })) as StoredProject;
  const png = (w: number, h: number) =>
    sharp({ create: { width: w, height: h, channels: 3, background: '#8a6' } })
      .png()
      .toBuffer();
  await p.importPicture('first.png', await png(64, 96));
  await p.moveJoint(1, 30, 20);
  await p.importPicture('second.png', await png(200, 100));
  return p;
}

const referencePose = (p: StoredProject): number[] =>
  (
    JSON.parse(readFileSync(join(p.folder, 'project.json'), 'utf8')) as {
      characters: { referencePose: number[] }[];
    }
  ).characters[0]!.referencePose;

describe('character.restore', () => {
  it('puts back the replaced picture and the pose on it, saved in project.json', async () => {
    const p = await projectWithTwoPictures();
    const now = await p.character();
    expect(now).toMatchObject({ picture: 'assets/second.png', pictureWidth: 200 });
    const before: CharacterState = { ...characterState(now), picture: 'assets/first.png' };
    before.pose[1 * 3] = 12;
    const back = await p.restoreCharacter(before);
    expect(back).toMatchObject({
      picture: 'assets/first.png',
      pictureWidth: 64,
      pictureHeight: 96,
    });
    expect(back.joints.find((j) => j.index === 1)).toMatchObject({ x: 12, y: 20 });
    expect(referencePose(p).slice(3, 6)).toEqual([12, 20, 1]);
    // And forward again (redo): the second picture is still there.
    expect(await p.restoreCharacter(characterState(now))).toMatchObject({ pictureWidth: 200 });
  });

  it.each([
    ['a file that is not a picture', 'project.json'],
    ['a missing file', 'assets/gone.png'],
  ])('refuses %s, leaving the character as it is', async (_, picture) => {
    const p = await projectWithTwoPictures();
    const state = { ...characterState(await p.character()), picture };
    await expect(p.restoreCharacter(state)).rejects.toBeInstanceOf(ApiError);
    expect((await p.character()).picture).toBe('assets/second.png');
  });

  it('refuses a link out of the project', async () => {
    const p = await projectWithTwoPictures();
    const outside = join(root, `outside-${n}.png`);
    writeFileSync(
      outside,
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    symlinkSync(outside, join(p.folder, 'assets', 'link.png'));
    const state = { ...characterState(await p.character()), picture: 'assets/link.png' };
    await expect(p.restoreCharacter(state)).rejects.toThrow(/no longer a picture/);
  });

  it('takes no path out of the project, no NaN, 1e308 or short pose at the contract', () => {
    const ok = { picture: 'assets/a.png', mask: null, pose: new Array<number>(408).fill(0) };
    expect(() => parseParams('character.restore', ok)).not.toThrow();
    const bad: unknown[] = [
      { ...ok, picture: '../a.png' },
      { ...ok, picture: '/etc/passwd' },
      { ...ok, mask: 'C:/x.png' },
      { ...ok, pose: [...ok.pose.slice(1), NaN] },
      { ...ok, pose: [...ok.pose.slice(1), 1e308] },
      { ...ok, pose: ok.pose.slice(1) },
      { ...ok, pose: 'zeros' },
      { ...ok, extra: 1 },
    ];
    for (const b of bad) expect(() => parseParams('character.restore', b)).toThrow();
  });
});
