import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRgbImage } from '#shared/image/rgbImage';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { VideoEncoder } from '#main/media/videoEncoder';
import { extensionOf, type VideoFormat } from '#main/media/formats';

const dir = mkdtempSync(join(tmpdir(), 'ps-encoder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ffmpeg = resolveFfmpeg({ bundledPath: () => null });
const ffprobe = resolveFfprobe(ffmpeg);

function frame(i: number, w = 65, h = 48) {
  const img = createRgbImage(w, h);
  for (let p = 0; p < w * h; p++) {
    img.data[p * 3] = (p + i * 7) & 255;
    img.data[p * 3 + 1] = (i * 20) & 255;
    img.data[p * 3 + 2] = 128;
  }
  return img;
}

describe('VideoEncoder (real ffmpeg)', () => {
  it.each(['mp4', 'webm', 'prores', 'gif', 'png'] as VideoFormat[])(
    '%s: writes, checks with ffprobe and renames into place',
    async (format) => {
      const output = join(dir, `clip-${format}${extensionOf(format)}`);
      const enc = await VideoEncoder.open({
        ffmpeg: ffmpeg.path,
        ffprobe,
        output,
        format,
        width: 65,
        height: 48,
        fps: 12,
      });
      for (let i = 0; i < 10; i++) await enc.writeFrame(frame(i));
      const probe = await enc.finish();
      expect(probe.frames).toBe(10);
      expect(probe.height).toBe(48);
      expect(probe.width).toBe(format === 'mp4' || format === 'webm' ? 66 : 65);
      if (format !== 'gif') expect(probe.fps).toBeCloseTo(12);
      if (format === 'mp4') expect(probe.pixFmt).toBe('yuv420p');
      if (format === 'prores') expect(probe.codec).toBe('prores');
      if (format === 'png')
        expect(readdirSync(output).filter((f) => f.endsWith('.png'))).toHaveLength(10);
      expect(readdirSync(dir).filter((f) => f.includes('partial-'))).toEqual([]);
    },
  );

  it('abort leaves no file at the output path and no partial file', async () => {
    const output = join(dir, 'aborted.mp4');
    const enc = await VideoEncoder.open({
      ffmpeg: ffmpeg.path,
      ffprobe,
      output,
      format: 'mp4',
      width: 65,
      height: 48,
      fps: 12,
    });
    for (let i = 0; i < 3; i++) await enc.writeFrame(frame(i));
    await enc.abort();
    expect(existsSync(output)).toBe(false);
    expect(existsSync(enc.partial)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial-'))).toEqual([]);
  });

  it('copies the audio of a driving video', async () => {
    const driving = join(dir, 'driving.mp4');
    const { runFfmpeg } = await import('#main/media/ffmpegProcess');
    await runFfmpeg(ffmpeg.path, [
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=12:duration=2',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-c:v',
      'libx264',
      '-c:a',
      'aac',
      '-shortest',
      driving,
    ]);
    const output = join(dir, 'with-audio.mp4');
    const enc = await VideoEncoder.open({
      ffmpeg: ffmpeg.path,
      ffprobe,
      output,
      format: 'mp4',
      width: 65,
      height: 48,
      fps: 12,
      audioFrom: driving,
    });
    for (let i = 0; i < 12; i++) await enc.writeFrame(frame(i));
    const probe = await enc.finish();
    expect(probe.hasAudio).toBe(true);
    expect(probe.frames).toBe(12);
  });

  it('reports ffmpeg’s own error words when encoding fails', async () => {
    const output = join(dir, 'bad.mp4');
    // A driving video that does not exist: ffmpeg fails at start.
    const enc = await VideoEncoder.open({
      ffmpeg: ffmpeg.path,
      ffprobe,
      output,
      format: 'mp4',
      width: 65,
      height: 48,
      fps: 12,
      audioFrom: join(dir, 'missing.mp4'),
    });
    let error: unknown;
    try {
      for (let i = 0; i < 200; i++) await enc.writeFrame(frame(i));
      await enc.finish();
    } catch (e) {
      error = e;
      await enc.abort();
    }
    expect(String(error)).toMatch(/missing\.mp4.*No such file/);
    expect(existsSync(output)).toBe(false);
  });
});
