import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderConditioning } from '#shared/pose/conditioning';
import { PoseFormatError } from '#shared/pose/formats/index';
import {
  outputFormatFor,
  pictureSize,
  PoseFileError,
  readPoses,
  writeConditioningPng,
  writePoses,
} from './poseFiles';

const fixtures = join(__dirname, '../../../test/fixtures/poses');
const work = mkdtempSync(join(tmpdir(), 'pose-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readPoses', () => {
  it('reads an OpenPose per-frame folder in frame order with its gap', async () => {
    const r = await readPoses(join(fixtures, 'openpose-folder'), {
      size: { width: 200, height: 200 },
    });
    expect(r.format).toBe('openpose-folder');
    expect(r.files).toBe(3);
    expect(r.frames.map((f) => f.people.length)).toEqual([1, 1, 0, 1]);
    expect(r.frames[3]!.people[0]!.points[0]).toBeCloseTo(66.4171 + 15, 9);
    expect(r.warnings.map((w) => w.code)).toContain('missing-frames');
  });

  it('asks which sequence to read when a folder holds several', async () => {
    const dir = join(work, 'two');
    mkdirSync(dir);
    cpSync(join(fixtures, 'openpose-folder'), dir, { recursive: true });
    const one = { people: [], canvas_width: 10, canvas_height: 10 };
    writeFileSync(join(dir, 'run_000000000000_keypoints.json'), JSON.stringify(one));
    writeFileSync(join(dir, 'notes.txt'), 'not a frame');
    await expect(readPoses(dir)).rejects.toThrow(/holds 2 sequences \(run, walk\)/);
    const r = await readPoses(dir, { sequence: 'run' });
    expect(r.frames).toHaveLength(1);
    await expect(readPoses(dir, { sequence: 'jump' })).rejects.toThrow(PoseFileError);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    await expect(readPoses(empty)).rejects.toThrow(
      /no \{name\}_\{12-digit frame\}_keypoints\.json/,
    );
  });

  it('names the file for invalid JSON and reports missing paths', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"people": [');
    const err = await readPoses(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoseFormatError);
    expect((err as Error).message).toMatch(/^bad\.json: \(top level\): not valid JSON/);
    await expect(readPoses(join(work, 'nope.json'))).rejects.toThrow(/no such file or folder/);
  });

  it('takes the canvas from --picture for files that carry none', async () => {
    expect(await pictureSize(join(fixtures, 'spin_im1010.jpg'))).toEqual({
      width: 153,
      height: 192,
    });
    const r = await readPoses(join(fixtures, 'spin_im1010_openpose.json'), {
      picture: join(fixtures, 'spin_im1010.jpg'),
    });
    expect([r.frames[0]!.width, r.frames[0]!.height]).toEqual([153, 192]);
    await expect(pictureSize(join(fixtures, 'README.md'))).rejects.toThrow(PoseFileError);
  });
});

describe('writePoses', () => {
  it('picks the format from the output name and frame count', () => {
    expect(outputFormatFor('a.json', 1)).toBe('controlnet');
    expect(outputFormatFor('a.JSON', 3)).toBe('comfyui');
    expect(outputFormatFor('frames', 1)).toBe('openpose-folder');
    expect(outputFormatFor('out/frames/', 5)).toBe('openpose-folder');
  });

  it('writes a per-frame folder that reads back, and never into a non-empty folder', async () => {
    const source = await readPoses(join(fixtures, 'openpose-folder'), {
      size: { width: 200, height: 200 },
    });
    const out = join(work, 'dance');
    const written = await writePoses(out, source.frames, 'openpose-folder', { firstFrame: 3 });
    expect(written).toHaveLength(4);
    expect(readdirSync(out).sort()).toEqual([
      'dance_000000000003_keypoints.json',
      'dance_000000000004_keypoints.json',
      'dance_000000000005_keypoints.json',
      'dance_000000000006_keypoints.json',
    ]);
    const back = await readPoses(out);
    expect(back.firstFrame).toBe(3);
    expect(back.frames.map((f) => f.people.length)).toEqual([1, 1, 0, 1]);
    expect(back.frames[1]!.people[0]!.points).toEqual(
      source.frames[1]!.people[0]!.points.map((v, i) => (i % 3 === 2 && v > 0 ? 1 : v)),
    );
    await expect(writePoses(out, source.frames, 'openpose-folder')).rejects.toThrow(/not empty/);
    expect(readdirSync(work).filter((n) => n.includes('partial'))).toEqual([]); // no temp folder left
    mkdirSync(join(work, 'ready'));
    await writePoses(join(work, 'ready'), source.frames.slice(0, 1), 'openpose-folder');
    expect(readdirSync(join(work, 'ready'))).toEqual(['ready_000000000000_keypoints.json']);
  });

  it('refuses several frames in one ControlNet file without writing anything', async () => {
    const source = await readPoses(join(fixtures, 'oddity_comfyui_pose_keypoint.json'));
    const out = join(work, 'one.json');
    await expect(writePoses(out, source.frames, 'controlnet')).rejects.toThrow(
      /holds one frame, got 2/,
    );
    expect(readdirSync(work).filter((n) => n.includes('one.json'))).toEqual([]);
    await writePoses(out, source.frames, 'comfyui');
    expect((await readPoses(out)).frames).toHaveLength(2);
    await expect(
      writePoses(join(work, 'missing-dir', 'x.json'), source.frames, 'comfyui'),
    ).rejects.toThrow(PoseFileError);
  });
});

describe('writeConditioningPng', () => {
  it('saves exactly the rendered RGB pixels as a PNG', async () => {
    const source = await readPoses(join(fixtures, 'openpose_editor_pose_hand_fixed.json'));
    const frame = source.frames[0]!;
    const out = join(work, 'pose.png');
    await writeConditioningPng(out, frame, { face: false });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([768, 512, 3]);
    const expected = renderConditioning(frame, { face: false });
    expect(Buffer.compare(data, Buffer.from(expected.data))).toBe(0);
    expect(expected.data.some((v) => v > 0)).toBe(true);
  });
});
