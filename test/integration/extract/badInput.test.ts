/**
 * Bad and awkward input for extraction, through the CLI and the import service: no person,
 * people entering and leaving, unsupported/corrupt/truncated files, variable frame rate,
 * downscaled decoding, cancel — clear one-line messages, and existing outputs never clobbered.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinExtractor } from '#main/engine/extract/builtinExtractor';
import { createDwposeExtractor } from '#main/engine/extract/dwposeExtractor';
import type { PoseExtractor } from '#main/engine/extract/extractor';
import { ExtractCancelled } from '#main/engine/extract/extractError';
import { extractVideo } from '#main/engine/extract/extractPoses';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import type { RgbImage } from '#shared/image/rgbImage';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { encode } from './accuracy';
import { writeTinyDwposePack } from './tinyDwposePack';

const PHOTO = '/work/shared/fixtures/photos/coco_val2017_000000000785.jpg';
const SPIN = '/work/shared/fixtures/photos/spin_im1010.jpg';
let dir: string;
let ffmpeg: string;
let ffprobe: string;
let tiny: PoseExtractor;

const ff = (...args: string[]) => execFileSync(ffmpeg, ['-v', 'error', '-y', ...args]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-bad-'));
  const bin = resolveFfmpeg();
  ffmpeg = bin.path;
  ffprobe = resolveFfprobe(bin);
  tiny = await createDwposeExtractor(await writeTinyDwposePack(join(dir, 'pack')));
});
afterAll(async () => {
  await tiny?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('extract CLI: refusals', () => {
  it('a video with no person: exit 2, nothing written, an existing output kept', async () => {
    const video = join(dir, 'empty.mp4');
    ff(
      '-f',
      'lavfi',
      '-i',
      'color=c=white:s=320x240:r=4:d=1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    );
    const out = join(dir, 'keep.json');
    await writeFile(out, '{"old":true}');
    const r = await runCliCaptured(['extract', video, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no person found in empty\.mp4 \(4 frames\); nothing written/);
    expect(await readFile(out, 'utf8')).toBe('{"old":true}');
  }, 60_000);

  it('unsupported, truncated and missing files: one clear line each', async () => {
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'these are not moving pictures\n');
    let r = await runCliCaptured(['extract', text, '-o', join(dir, 'a.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/notes\.mp4: not a video or picture that can be read \(\w/);

    const whole = join(dir, 'whole.mp4');
    ff(
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x240:r=10:d=2',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      whole,
    );
    const bytes = await readFile(whole);
    const cut = join(dir, 'cut.mp4');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    r = await runCliCaptured(['extract', cut, '-o', join(dir, 'b.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /cut\.mp4: not a video or picture that can be read \(.*moov atom not found/,
    );

    const badPicture = join(dir, 'broken.png');
    await writeFile(badPicture, bytes.subarray(0, 100));
    r = await runCliCaptured(['extract', badPicture, '-o', join(dir, 'c.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.png: not a picture that can be read/);

    r = await runCliCaptured(['extract', join(dir, 'nope.mp4'), '-o', join(dir, 'd.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.mp4: no such file/);
    for (const f of ['a.json', 'b.json', 'c.json', 'd.json'])
      await expect(stat(join(dir, f))).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('bad options are refused before any work', async () => {
    const r = await runCliCaptured([
      'extract',
      PHOTO,
      '-o',
      join(dir, 'e.json'),
      '--smooth',
      '1,x,1',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--smooth must be on, off or MINCUTOFF,BETA,DCUTOFF/);
    const r2 = await runCliCaptured(['extract', PHOTO]);
    expect(r2.err).toMatch(/extract needs -o/);
  });

  it('a corrupt middle of a Matroska file: decoded as far as possible or refused, never a crash', async () => {
    const video = join(dir, 'damaged.mkv');
    ff('-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=10:d=1', '-c:v', 'libx264', '-g', '3', video);
    const bytes = await readFile(video);
    for (let i = Math.floor(bytes.length * 0.4); i < bytes.length * 0.6; i += 7)
      bytes[i] = 0xff - bytes[i]!;
    await writeFile(video, bytes);
    const out = join(dir, 'damaged.json');
    const r = await runCliCaptured([
      'extract',
      video,
      '-o',
      out,
      '--pack',
      'dwpose',
      join(dir, 'pack'),
    ]);
    expect([0, 2]).toContain(r.code);
    if (r.code === 0) {
      const frames = JSON.parse(await readFile(out, 'utf8')) as unknown[];
      expect(frames.length).toBeGreaterThan(0);
    } else expect(r.err.split('\n').at(-1)).toMatch(/damaged\.mkv/);
  }, 60_000);

  it('an output folder that is not empty is refused and left as it was', async () => {
    const folder = join(dir, 'full');
    await mkdir(folder);
    await writeFile(join(folder, 'mine.txt'), 'keep');
    const video = join(dir, 'grey.mp4');
    ff(
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=320x240:r=5:d=1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    );
    const r = await runCliCaptured([
      'extract',
      video,
      '-o',
      folder,
      '--pack',
      'dwpose',
      join(dir, 'pack'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/folder is not empty/);
    expect(await readdir(folder)).toEqual(['mine.txt']);
  }, 60_000);
});

describe('video import service', () => {
  it('normalises a variable-frame-rate video onto the requested rate', async () => {
    const video = join(dir, 'vfr.mkv');
    // 5 fps for the first second, 20 fps for the second.
    ff(
      '-f',
      'lavfi',
      '-i',
      'color=c=white:s=320x240:r=20:d=2',
      '-vf',
      "select='lt(t\\,1)*not(mod(n\\,4))+gte(t\\,1)'",
      '-vsync',
      'vfr',
      '-c:v',
      'libx264',
      video,
    );
    const probe = await probeVideo(ffprobe, video);
    expect(probe.frames).toBe(25);
    const r = await extractVideo({ ffmpeg, file: video, probe, extractor: tiny, fps: 6 });
    expect(r.frames).toHaveLength(12);
    expect(r.fps).toBe(6);
  }, 60_000);

  it('decodes large frames downscaled and scales the points back to the source canvas', async () => {
    const video = join(dir, 'big.mp4');
    ff(
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=640x480:r=5:d=0.4',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    );
    const probe = await probeVideo(ffprobe, video);
    const r = await extractVideo({
      ffmpeg,
      file: video,
      probe,
      extractor: tiny,
      maxSide: 320,
      smoothing: null,
    });
    expect(r.width).toBe(640);
    const nose = r.frames[0]!.people[0]!.points;
    // The tiny pack's nose sits at (140, 130) of the 320×240 decoded frame.
    expect(nose[0]).toBeCloseTo(280, 2);
    expect(nose[1]).toBeCloseTo(260, 2);
  }, 60_000);

  it('cancels mid-video: rejects with ExtractCancelled and stops ffmpeg', async () => {
    const video = join(dir, 'cancel.mp4');
    ff(
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=320x240:r=10:d=5',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    );
    const probe = await probeVideo(ffprobe, video);
    const controller = new AbortController();
    let seen = 0;
    const run = extractVideo({
      ffmpeg,
      file: video,
      probe,
      extractor: tiny,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.frame;
        if (p.frame === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ExtractCancelled);
    expect(seen).toBe(3);
  }, 60_000);

  it('several people entering and leaving: stable ids, a new id after a long absence', async () => {
    // Skier (left half) and baseball player (right half) composed at 800×340.
    const frameOf = async (skier: boolean, player: boolean): Promise<RgbImage> => {
      const layers: { input: Buffer; left: number; top: number }[] = [];
      if (skier)
        layers.push({
          input: await sharp(PHOTO)
            .resize({ width: 400, height: 340, fit: 'contain', background: '#ffffff' })
            .toBuffer(),
          left: 0,
          top: 0,
        });
      if (player)
        layers.push({
          input: await sharp(SPIN)
            .resize({ width: 400, height: 340, fit: 'contain', background: '#ffffff' })
            .toBuffer(),
          left: 400,
          top: 0,
        });
      const img = await sharp({
        create: { width: 800, height: 340, channels: 3, background: '#ffffff' },
      })
        .composite(layers)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { width: img.info.width, height: img.info.height, data: new Uint8Array(img.data) };
    };
    const skier = await frameOf(true, false);
    const both = await frameOf(true, true);
    const player = await frameOf(false, true);
    const blank = await frameOf(false, false);
    // Skier alone, the player enters, the skier leaves, nobody (longer than the tracker's
    // 3-frame memory here), the skier comes back.
    const plan = [
      ...Array<RgbImage>(3).fill(skier),
      ...Array<RgbImage>(3).fill(both),
      ...Array<RgbImage>(3).fill(player),
      ...Array<RgbImage>(5).fill(blank),
      ...Array<RgbImage>(2).fill(skier),
    ];
    const video = join(dir, 'enter-leave.mp4');
    await encode(plan, video, 10);
    const probe = await probeVideo(ffprobe, video);
    const builtin = await createBuiltinExtractor({ face: false, hands: false });
    const r = await extractVideo({
      ffmpeg,
      file: video,
      probe,
      extractor: builtin,
      tracker: { maxMissed: 3 },
    });
    const ids = r.frames.map((f) => f.people.map((p) => p.id).join(',') || '-');
    // Known people are followed frame to frame; newcomers are looked for every 5th frame
    // (redetectEvery), so the player who enters at frame 3 is picked up at frame 5.
    expect(ids).toEqual([
      ...Array<string>(5).fill('0'),
      '0,1',
      ...Array<string>(3).fill('1'),
      ...Array<string>(5).fill('-'),
      ...Array<string>(2).fill('2'),
    ]);
    expect(r.peopleSeen).toBe(3);
    expect(r.framesWithoutPeople).toBe(5);
    expect(r.warnings).toContain('5 of 16 frames have no person');
  }, 60_000);
});
