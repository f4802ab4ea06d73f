import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '#test/helpers/cliHarness';

const root = join(__dirname, '../../..');
const fixtures = join(root, 'test/fixtures/poses');
const fx = (name: string): string => join(fixtures, name);
const work = mkdtempSync(join(tmpdir(), 'poses-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('pose-studio poses inspect', () => {
  it('lists people, points per part, canvas and warnings of a real file', async () => {
    const r = await runCliCaptured([
      'poses',
      'inspect',
      fx('spin_im1010_openpose.json'),
      '--picture',
      fx('spin_im1010.jpg'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: controlnet\n/);
    expect(r.out).toMatch(/frames: 1 {3}canvas: 153×192 {3}people: 1/);
    expect(r.out).toContain(
      'person 0: body 15/18, feet 6/6, face 0/70, left hand 21/21, right hand 0/21',
    );
    expect(r.out).toMatch(/warnings \(1\):\n.*MidHip/);
  });

  it('reports a folder with its frame count and gap, and prints JSON on request', async () => {
    const r = await runCliCaptured([
      'poses',
      'inspect',
      fx('openpose-folder'),
      '--size',
      '320x240',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/frames: 4 {3}canvas: 320×240 {3}people: 0–1/);
    expect(r.out).toContain('frame 2: 0 people');
    expect(r.out).toMatch(/1 frame file is missing \(frame 2\)/);
    const j = await runCliCaptured([
      'poses',
      'inspect',
      fx('oddity_dwpose_133.json'),
      '--size',
      '640x425',
      '--json',
    ]);
    const parsed = JSON.parse(j.out) as {
      format: string;
      frames: { people: { present: { face: number } }[] }[];
    };
    expect(parsed.format).toBe('coco-wholebody');
    expect(parsed.frames[0]!.people.map((p) => p.present.face)).toEqual([70, 70]);
  });

  it('exits 2 with a one-line reason on bad input', async () => {
    for (const argv of [
      ['poses', 'inspect', fx('README.md')],
      ['poses', 'inspect', fx('no-such.json')],
      ['poses', 'inspect'],
      ['poses', 'inspect', fx('spin_im1010_openpose.json'), '--size', 'big'],
      ['poses', 'explode'],
      ['poses', 'inspect', fx('spin_im1010_openpose.json'), '--bogus'],
    ]) {
      const r = await runCliCaptured(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(/^pose-studio: /);
    }
    const r = await runCliCaptured([
      'poses',
      'inspect',
      fx('coco_val2017_000000000785_keypoints.json'),
      '--json',
    ]);
    expect(r.code).toBe(0);
  });
  it('lists at most 20 warnings of a long video and counts the rest', async () => {
    const person = Array.from({ length: 133 }, (_, k) => [100 + k, 100 + k, k === 50 ? 0.1 : 0.9]);
    const video = join(work, 'dwpose-video.json');
    writeFileSync(video, JSON.stringify(Array.from({ length: 25 }, () => [person])));
    const r = await runCliCaptured(['poses', 'inspect', video, '--size', '400x400']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/frames: 25 /);
    expect(r.out).toContain('warnings (25):');
    expect(r.out).toContain('… 5 more warnings (inspect --json lists all)');
    expect(r.out).toContain('… 15 more frames (--json lists all)');
  });
});

describe('pose-studio poses convert', () => {
  it('converts a CMU folder to ComfyUI, then one frame to ControlNet, keeping the points', async () => {
    const list = join(work, 'walk.json');
    const a = await runCliCaptured([
      'poses',
      'convert',
      fx('openpose-folder'),
      list,
      '--size',
      '200x200',
    ]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(`wrote 4 frames as comfyui to ${list}`);
    expect(a.err).toMatch(/warning: .*missing/);
    const frames = JSON.parse(readFileSync(list, 'utf8')) as {
      canvas_width: number;
      people: { pose_keypoints_2d: number[] }[];
    }[];
    expect(frames).toHaveLength(4);
    expect(frames[0]!.canvas_width).toBe(200);
    expect(frames[0]!.people[0]!.pose_keypoints_2d.slice(0, 3)).toEqual([66.4171, 47.0342, 1]);
    const one = join(work, 'frame3.json');
    const b = await runCliCaptured(['poses', 'convert', list, one, '--frame', '3']);
    expect(b.code).toBe(0);
    const pose = JSON.parse(readFileSync(one, 'utf8')) as {
      people: { pose_keypoints_2d: number[] }[];
    };
    expect(pose.people[0]!.pose_keypoints_2d.slice(0, 3)).toEqual([81.4171, 47.0342, 1]);
  });

  it('writes a per-frame folder when the output has no .json', async () => {
    const out = join(work, 'editor');
    const r = await runCliCaptured([
      'poses',
      'convert',
      fx('openpose_editor_pose_hand_fixed.json'),
      out,
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['editor_000000000000_keypoints.json']);
  });

  it('exits 2 for an unknown format, a frame out of range or several frames in one ControlNet file', async () => {
    const bad = [
      ['--format', 'bvh'],
      ['--frame', '9'],
      ['--format', 'controlnet'],
    ];
    for (const extra of bad) {
      const r = await runCliCaptured([
        'poses',
        'convert',
        fx('oddity_comfyui_pose_keypoint.json'),
        join(work, 'x.json'),
        ...extra,
      ]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
    }
    expect(readdirSync(work).filter((n) => n.includes('x.json'))).toEqual([]);
  });
});

describe('pose-studio poses render', () => {
  it('draws the conditioning PNG of a frame at the file canvas', async () => {
    const out = join(work, 'editor.png');
    const r = await runCliCaptured([
      'poses',
      'render',
      fx('openpose_editor_pose_hand_fixed.json'),
      out,
    ]);
    expect(r.code).toBe(0);
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([768, 512, 3]);
    // Joint circle of the nose (367, 172) in palette colour 0 (255, 0, 0); a far corner stays black.
    const at = (x: number, y: number): number[] => [
      ...data.subarray((y * 768 + x) * 3, (y * 768 + x) * 3 + 3),
    ];
    expect(at(367, 172)).toEqual([255, 0, 0]);
    expect(at(5, 500)).toEqual([0, 0, 0]);
  });

  it('--no-hands leaves the hands out; a bad output name or frame exits 2', async () => {
    const withHands = join(work, 'h.png');
    const without = join(work, 'nh.png');
    await runCliCaptured([
      'poses',
      'render',
      fx('openpose_editor_pose_hand_fixed.json'),
      withHands,
    ]);
    await runCliCaptured([
      'poses',
      'render',
      fx('openpose_editor_pose_hand_fixed.json'),
      without,
      '--no-hands',
    ]);
    const px = async (f: string, x: number, y: number): Promise<number[]> => {
      const { data } = await sharp(f).raw().toBuffer({ resolveWithObject: true });
      return [...data.subarray((y * 768 + x) * 3, (y * 768 + x) * 3 + 3)];
    };
    // Right-hand wrist point (152, 237) is drawn blue with hands, black without.
    expect(await px(withHands, 152, 237)).toEqual([0, 0, 255]);
    expect(await px(without, 152, 237)).toEqual([0, 0, 0]);
    expect(
      (
        await runCliCaptured([
          'poses',
          'render',
          fx('spin_im1010_openpose.json'),
          join(work, 'a.jpg'),
        ])
      ).code,
    ).toBe(2);
    expect(
      (
        await runCliCaptured([
          'poses',
          'render',
          fx('spin_im1010_openpose.json'),
          join(work, 'a.png'),
          '--frame',
          '1',
        ])
      ).code,
    ).toBe(2);
  });
});

describe('the installed bin', () => {
  it('node bin/pose-studio.js poses inspect exits 0 on a good file and 2 on a bad one', () => {
    const bin = join(root, 'bin/pose-studio.js');
    const ok = spawnSync(
      process.execPath,
      [bin, 'poses', 'inspect', fx('openpose_editor_pose_hand_fixed.json')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('canvas: 768×512');
    const bad = spawnSync(process.execPath, [bin, 'poses', 'inspect', fx('README.md')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/README\.md: \(top level\): not valid JSON/);
  });
});
