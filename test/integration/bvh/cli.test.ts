import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { TrackSchema } from '#shared/project/index';

const ROOT = resolve(__dirname, '../../..');
const SYNTH = join(ROOT, 'test/fixtures/bvh');
const REAL = resolve(ROOT, '../shared/fixtures');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-bvh-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pose-studio poses with BVH', () => {
  it('inspect shows joints, frames, frame time, family and mapping', async () => {
    const c = await runCliCaptured(['poses', 'inspect', `${REAL}/bvh/zombie.bvh`], dir);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/zombie\.bvh: bvh/);
    expect(c.out).toMatch(/skeleton: fair family, 27 joints \(Hips, Spine,/);
    expect(c.out).toMatch(
      /clip: 779 frames at 0\.0333333 s \(30\.00 fps\), 25\.967 s; poses at 24 fps/,
    );
    expect(c.out).toMatch(/mapping: hips=Hips, neck=Neck, head=Head, lShoulder=LeftArm/);
    expect(c.out).toMatch(/frames: 623 /);
  });

  it('convert writes a ComfyUI list at the asked fps, camera and projection', async () => {
    const c = await runCliCaptured(
      [
        'poses',
        'convert',
        `${SYNTH}/cmu_naming.bvh`,
        'out.json',
        '--camera',
        '3q',
        '--projection',
        'perspective',
        '--fps',
        '60',
      ],
      dir,
    );
    expect(c).toMatchObject({ code: 0 });
    expect(c.out).toBe('wrote 6 frames as comfyui to out.json');
    const list = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as {
      canvas_width: number;
    }[];
    expect(list).toHaveLength(6);
    expect(list[0]!.canvas_width).toBe(512);
  });

  it('convert --retarget --in-place takes the character’s canvas', async () => {
    const c = await runCliCaptured(
      [
        'poses',
        'convert',
        `${REAL}/bvh/wave_hello.bvh`,
        'wave.json',
        '--retarget',
        `${REAL}/drawings/char4/rest_pose.json`,
        '--in-place',
        '--fps',
        '12',
      ],
      dir,
    );
    expect(c.code).toBe(0);
    const list = JSON.parse(await readFile(join(dir, 'wave.json'), 'utf8')) as {
      canvas_width: number;
      canvas_height: number;
    }[];
    expect(list).toHaveLength(84);
    expect([list[0]!.canvas_width, list[0]!.canvas_height]).toEqual([216, 475]);
  });

  it('convert --track writes the poses reduced to keyframes as a project track', async () => {
    const c = await runCliCaptured(
      [
        'poses',
        'convert',
        `${REAL}/bvh/wave_hello.bvh`,
        'w.json',
        '--track',
        'w.track.json',
        '--tolerance',
        '1',
        '--fps',
        '30',
      ],
      dir,
    );
    expect(c.code).toBe(0);
    const m =
      /wrote track w\.track\.json: (\d+) keyframes for 210 frames at 30 fps, max error ([\d.]+) px/.exec(
        c.out,
      );
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(210);
    expect(Number(m![2])).toBeLessThanOrEqual(1);
    const track = TrackSchema.parse(JSON.parse(await readFile(join(dir, 'w.track.json'), 'utf8')));
    expect(track.fps).toBe(30);
    const bad = await runCliCaptured(
      [
        'poses',
        'convert',
        `${SYNTH}/cmu_naming.bvh`,
        'x.json',
        '--track',
        't.json',
        '--tolerance',
        '-1',
      ],
      dir,
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--tolerance must be a number of pixels from 0 to 1000, got "-1"/);
    await expect(stat(join(dir, 'x.json'))).rejects.toThrow(); // checked before writing
  });

  it('render --sheet draws a contact sheet', async () => {
    const c = await runCliCaptured(
      [
        'poses',
        'render',
        `${SYNTH}/mixamo_naming.bvh`,
        's.png',
        '--sheet',
        '1',
        '--fps',
        '30',
        '--feet',
      ],
      dir,
    );
    expect(c.out).toBe('drew 3 of 3 frames (every 1th, left to right) to s.png');
    const meta = await sharp(join(dir, 's.png')).metadata();
    expect([meta.width, meta.height]).toEqual([2 * 512 + 4, 2 * 512 + 4]);
  });

  it('bad flags and bad files are one line naming the flag or the line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['poses', 'convert', `${SYNTH}/cmu_naming.bvh`, 'o.json', '--camera', 'top'],
        /--camera must be one of front, side, 3q, got "top"/,
      ],
      [
        ['poses', 'convert', `${SYNTH}/cmu_naming.bvh`, 'o.json', '--projection', 'fisheye'],
        /--projection must be one of ortho, perspective/,
      ],
      [
        ['poses', 'convert', `${SYNTH}/cmu_naming.bvh`, 'o.json', '--fps', 'NaN'],
        /--fps must be a number of frames per second/,
      ],
      [
        ['poses', 'convert', `${SYNTH}/cmu_naming.bvh`, 'o.json', '--fps', '1e308'],
        /--fps must be/,
      ],
      [
        ['poses', 'convert', `${REAL}/drawings/char4/rest_pose.json`, 'o.json', '--camera', 'side'],
        /--camera applies to BVH motion-capture files \(\.bvh\) only/,
      ],
      [
        ['poses', 'convert', `${SYNTH}/cmu_naming.bvh`, 'o.json', '--retarget', 'missing.json'],
        /missing\.json: no such file/,
      ],
      [
        ['poses', 'convert', 'broken.bvh', 'o.json'],
        /^pose-studio: broken\.bvh: line 7: frame 1 has 2 numbers, the hierarchy's CHANNELS add up to 3$/,
      ],
      [
        ['poses', 'inspect', 'notbvh.bvh'],
        /notbvh\.bvh: line 1: not BVH: a BVH file starts with HIERARCHY/,
      ],
    ];
    await writeFile(
      join(dir, 'broken.bvh'),
      'HIERARCHY\nROOT Hips { OFFSET 0 0 0 CHANNELS 3 Xrotation Yrotation Zrotation }\nMOTION\nFrames: 2\nFrame Time: 0.1\n0 0 0\n1 2\n',
    );
    await writeFile(join(dir, 'notbvh.bvh'), '{"people": []}');
    for (const [argv, message] of cases) {
      const c = await runCliCaptured(argv, dir);
      expect(c.code, argv.join(' ')).toBe(2);
      expect(c.err, argv.join(' ')).toMatch(message);
      expect(c.err.split('\n')).toHaveLength(1);
    }
    await expect(stat(join(dir, 'o.json'))).rejects.toThrow();
  });
});
