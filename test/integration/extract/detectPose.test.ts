/**
 * `character.detectPose` through the real ApiService, project store and engine process: the SPIN
 * photo imported as a character picture, detected, compared with its OpenPose ground truth and
 * saved in project.json; bad inputs change nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type Character, type DetectPoseResult } from '#shared/api/index';
import { PckTally } from '#shared/extract/pck';
import { ApiService } from '#main/services/api/apiService';
import { EngineInfoAdapter } from '#main/services/api/engineAdapter';
import { projectStoreAdapter } from '#main/services/api/projectAdapter';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ALL_BODY, groundTruthPhotos, pckByPart, type GroundTruthPhoto } from './accuracy';

const root = mkdtempSync(join(tmpdir(), 'ps-detect-'));
let api: ApiService;
let spin: GroundTruthPhoto;

beforeAll(async () => {
  spin = (await groundTruthPhotos()).find((p) => p.name.startsWith('spin'))!;
  api = new ApiService({
    mode: 'browser',
    version: '0.0.0',
    platform: 'linux',
    settings: new SettingsService(memorySettingsBackend()),
    shell: { openFolder: async () => false },
    projects: projectStoreAdapter(),
    engine: new EngineInfoAdapter(),
  });
});
afterAll(async () => {
  await api?.close();
  rmSync(root, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const storedPose = (folder: string) =>
  (
    JSON.parse(readFileSync(join(folder, 'project.json'), 'utf8')) as {
      characters: { referencePose: number[] }[];
    }
  ).characters[0]!.referencePose;

describe('character.detectPose', { timeout: 300_000 }, () => {
  it('needs a picture, and validates its params', async () => {
    const folder = join(root, 'empty');
    await api.call('projects.create', {
      folder,
      name: 'Empty',
      size: { width: 256, height: 256 },
      fps: 24,
    });
    expect((await rejection(api.call('character.detectPose', {}))).code).toBe('not-found');
    expect((await rejection(api.call('character.detectPose', { minScore: 2 }))).code).toBe(
      'bad-request',
    );
    expect((await rejection(api.call('character.detectPose', { extra: 1 }))).code).toBe(
      'bad-request',
    );
  });

  it('detects the pose of the SPIN photo and saves it as the reference pose', async () => {
    const folder = join(root, 'spin');
    await api.call('projects.create', {
      folder,
      name: 'Spin',
      size: { width: 256, height: 256 },
      fps: 24,
    });
    await api.call('character.importPicture', {
      fileName: 'spin.jpg',
      dataBase64: readFileSync(spin.picture).toString('base64'),
    });
    expect(storedPose(folder).every((v) => v === 0)).toBe(true);
    const r = (await api.call('character.detectPose', {})) as DetectPoseResult;
    expect(r.people).toBe(1);
    expect(r.extractor).toBe('builtin');
    expect(r.bodyJoints).toBeGreaterThanOrEqual(17);
    const pose = Float64Array.from(storedPose(folder));
    // The panel lists exactly the points the extractor found (this 153 px photo: the body).
    const found = pose.filter((_, i) => i % 3 === 2 && pose[i]! > 0).length;
    expect(r.character.joints).toHaveLength(found);
    expect(found).toBeGreaterThanOrEqual(17);
    const tally = new PckTally();
    tally.add(pose, spin.pose, ALL_BODY);
    expect(pckByPart(tally).all).toBeGreaterThanOrEqual(0.9);
    // What the panel shows is what was saved.
    const c = (await api.call('character.get', {})) as Character;
    const wrist = c.joints.find((j) => j.index === 4)!;
    expect([wrist.x, wrist.y]).toEqual([pose[12], pose[13]]);
  });

  it('undo puts back the pose from before detecting, even after detecting twice', async () => {
    const folder = join(root, 'spin');
    await api.call('character.moveJoint', { index: 0, x: 70, y: 30 }); // a hand fix, then…
    const mine = storedPose(folder);
    await api.call('character.detectPose', {}); // …the user detects again, twice
    await api.call('character.detectPose', {});
    expect(storedPose(folder)).not.toEqual(mine);
    const c = (await api.call('character.undoDetectPose', {})) as Character;
    expect(storedPose(folder)).toEqual(mine);
    expect(c.joints.find((j) => j.index === 0)).toMatchObject({ x: 70, y: 30 });
    const again = await rejection(api.call('character.undoDetectPose', {}));
    expect(again.code).toBe('not-found');
    expect(storedPose(folder)).toEqual(mine);
  });

  it('a picture without a person leaves the pose as it was', async () => {
    const folder = join(root, 'spin');
    const before = storedPose(folder);
    // A plain grey picture: nobody to find.
    const { default: sharp } = await import('sharp');
    const grey = await sharp({
      create: { width: 160, height: 200, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    await api.call('character.importPicture', {
      fileName: 'grey.png',
      dataBase64: grey.toString('base64'),
    });
    const e = await rejection(api.call('character.detectPose', {}));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/no person was found.*left as it was/);
    expect(storedPose(folder)).toEqual(before);
  });
});
