import { execFile } from 'node:child_process';
import { z } from 'zod';

export interface VideoProbe {
  codec: string;
  width: number;
  height: number;
  /** Frames per second from the stream's average frame rate. */
  fps: number;
  /** Number of video frames (counted packets, not a header estimate). */
  frames: number;
  pixFmt: string | null;
  hasAudio: boolean;
  durationSeconds: number | null;
}

const probeSchema = z.object({
  streams: z
    .array(
      z.looseObject({
        codec_type: z.string(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        nb_read_packets: z.string().optional(),
        pix_fmt: z.string().optional(),
      }),
    )
    .default([]),
  format: z.looseObject({ duration: z.string().optional() }).optional(),
});

function rate(text: string | undefined): number {
  if (!text) return 0;
  const [n, d] = text.split('/').map(Number);
  return d ? n! / d : (n ?? 0);
}

/** Reads what a video file really contains (ffprobe, counting packets). */
export async function probeVideo(ffprobe: string, file: string): Promise<VideoProbe> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      ffprobe,
      ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', file],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, out, errText) => {
        if (err)
          reject(
            new Error(`ffprobe could not read ${file}: ${String(errText || err.message).trim()}`),
          );
        else resolve(out);
      },
    );
  });
  const parsed = probeSchema.parse(JSON.parse(stdout));
  const video = parsed.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`${file} has no video stream`);
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate);
  const duration = parsed.format?.duration ? Number(parsed.format.duration) : null;
  return {
    codec: video.codec_name ?? 'unknown',
    width: video.width ?? 0,
    height: video.height ?? 0,
    fps,
    frames: Number(video.nb_read_packets ?? 0),
    pixFmt: video.pix_fmt ?? null,
    hasAudio: parsed.streams.some((s) => s.codec_type === 'audio'),
    durationSeconds: duration !== null && Number.isFinite(duration) ? duration : null,
  };
}
