/**
 * Transparent backgrounds reach the file: frames with an alpha plane encoded by real ffmpeg as a
 * PNG sequence (rgba), ProRes 4444 (yuva444p10le) and WebM VP9 with alpha (yuva420p), each decoded
 * back to check a transparent pixel is transparent and an opaque one opaque; MP4 takes the same
 * frames composited (no error, no alpha).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { VideoEncoder } from '#main/media/videoEncoder';
import { extensionOf, type VideoFormat } from '#main/media/formats';

const dir = mkdtempSync(join(tmpdir(), 'ps-encoder-alpha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ffmpeg = resolveFfmpeg();
const ffprobe = resolveFfprobe(ffmpeg);
const W = 32;
const H = 24;

/** Left half transparent (its colour: the white plate), right half an opaque red character. */
function frame(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  const alpha = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const opaque = x >= W / 2;
      data.set(opaque ? [220, 30, 30] : [255, 255, 255], i * 3);
      alpha[i] = opaque ? 255 : 0;
    }
  return { width: W, height: H, data, alpha };
}

function probe(file: string): { pixFmt: string; alphaMode?: string } {
  const out = JSON.parse(
    execFileSync(ffprobe, [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=pix_fmt:stream_tags=alpha_mode',
      '-of',
      'json',
      file,
    ]).toString(),
  ) as { streams: { pix_fmt: string; tags?: { alpha_mode?: string; ALPHA_MODE?: string } }[] };
  const s = out.streams[0]!;
  const alphaMode = s.tags?.alpha_mode ?? s.tags?.ALPHA_MODE;
  return { pixFmt: s.pix_fmt, ...(alphaMode ? { alphaMode } : {}) };
}

/** The first frame decoded to RGBA (VP9's alpha needs the libvpx decoder). */
function decodeRgba(file: string, vp9: boolean): Uint8Array {
  return new Uint8Array(
    execFileSync(ffmpeg.path, [
      '-v',
      'error',
      ...(vp9 ? ['-c:v', 'libvpx-vp9'] : []),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      'pipe:1',
    ]),
  );
}

async function encode(format: VideoFormat, alpha: boolean): Promise<string> {
  const output = join(dir, `clip-${format}-${alpha ? 'alpha' : 'opaque'}${extensionOf(format)}`);
  const enc = await VideoEncoder.open({
    ffmpeg: ffmpeg.path,
    ffprobe,
    output,
    format,
    width: W,
    height: H,
    fps: 12,
    alpha,
  });
  for (let i = 0; i < 4; i++) await enc.writeFrame(frame());
  await enc.finish();
  return format === 'png'
    ? join(
        output,
        readdirSync(output)
          .filter((f) => f.endsWith('.png'))
          .sort()[0]!,
      )
    : output;
}

describe('transparent backgrounds in the encoded file (real ffmpeg)', () => {
  it.each([
    ['png', /^rgba$/],
    // Encoded as yuva444p10le; FFmpeg's ProRes decoder reports 4444 as 12-bit.
    ['prores', /^yuva444p1[02]le$/],
    ['webm', /^yuv420p$/], // VP9 keeps alpha in a side stream: ALPHA_MODE=1, decoded by libvpx
  ] as const)('%s keeps the alpha plane (%s)', async (format, pixFmt) => {
    const file = await encode(format, true);
    const p = probe(file);
    expect(p.pixFmt).toMatch(pixFmt);
    if (format === 'webm') expect(p.alphaMode).toBe('1');
    const rgba = decodeRgba(file, format === 'webm');
    const at = (x: number, y: number) => rgba[(y * W + x) * 4 + 3]!;
    expect(at(4, 12)).toBeLessThan(8); // transparent background
    expect(at(W - 4, 12)).toBeGreaterThan(247); // the opaque character
    const red = rgba[(12 * W + W - 4) * 4]!;
    expect(red).toBeGreaterThan(180);
  });

  it('mp4 (no alpha) takes the frames composited over the plate, without an error', async () => {
    const file = await encode('mp4', true);
    expect(probe(file).pixFmt).toBe('yuv420p');
    const rgba = decodeRgba(file, false);
    // The transparent half shows the plate colour the frame was composited over (white).
    expect(rgba[(12 * W + 4) * 4]).toBeGreaterThan(235);
    expect(rgba[(12 * W + 4) * 4 + 3]).toBe(255);
  });

  it('a format with alpha but frames without a plane writes them opaque', async () => {
    const output = join(dir, 'opaque-frames');
    const enc = await VideoEncoder.open({
      ffmpeg: ffmpeg.path,
      ffprobe,
      output,
      format: 'png',
      width: W,
      height: H,
      fps: 12,
      alpha: true,
    });
    const { alpha: _none, ...opaque } = frame();
    await enc.writeFrame(opaque);
    await enc.finish();
    const rgba = decodeRgba(
      join(
        output,
        readdirSync(output)
          .filter((f) => f.endsWith('.png'))
          .sort()[0]!,
      ),
      false,
    );
    expect(rgba[(12 * W + 4) * 4 + 3]).toBe(255);
  });
});
