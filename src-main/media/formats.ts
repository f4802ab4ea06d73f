import { extname } from 'node:path';
import { OUTPUT_FORMATS, type OutputFormat } from '#shared/project/schema';

/** Video outputs: the project format's `output.format` (one list, `OUTPUT_FORMATS`). */
export type VideoFormat = OutputFormat;
export const VIDEO_FORMATS: readonly VideoFormat[] = OUTPUT_FORMATS;

export interface EncodeSettings {
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  /** Quality for H.264 / VP9 (lower = better; defaults 18 and 32). */
  crf?: number;
  /** A driving video whose audio is copied into the output (mp4, webm, prores). */
  audioFrom?: string;
  /** Number of the first file of a PNG sequence (the project frame number). */
  startNumber?: number;
  /**
   * Frames carry an alpha plane to keep (a transparent background): RGBA is read from stdin and
   * written as PNG RGBA, ProRes 4444 (yuva444p10le) or VP9 with alpha (yuva420p). Ignored by
   * formats without alpha (mp4, gif), which take the frames composited over the plate.
   */
  alpha?: boolean;
}

/** Formats that keep an alpha plane. */
const ALPHA_FORMATS: ReadonlySet<VideoFormat> = new Set(['png', 'prores', 'webm']);

export function formatHoldsAlpha(format: VideoFormat): boolean {
  return ALPHA_FORMATS.has(format);
}

/** Whether an encode reads RGBA frames (alpha asked for and the format keeps it). */
export function encodesAlpha(s: Pick<EncodeSettings, 'alpha' | 'format'>): boolean {
  return s.alpha === true && formatHoldsAlpha(s.format);
}

/** Picks a format from the output name: .mp4 .webm .mov .gif, a folder (no extension) = PNG sequence. */
export function formatFromPath(path: string): VideoFormat | null {
  switch (extname(path).toLowerCase()) {
    case '.mp4':
    case '.m4v':
      return 'mp4';
    case '.webm':
      return 'webm';
    case '.mov':
      return 'prores';
    case '.gif':
      return 'gif';
    case '':
      return 'png';
    default:
      return null;
  }
}

export function extensionOf(format: VideoFormat): string {
  return { mp4: '.mp4', webm: '.webm', prores: '.mov', gif: '.gif', png: '' }[format];
}

/** 4:2:0 chroma needs even sizes: H.264 and VP9 outputs are padded by one pixel when odd. */
export function outputSize(s: EncodeSettings): { width: number; height: number } {
  if (s.format === 'mp4' || s.format === 'webm')
    return { width: s.width + (s.width % 2), height: s.height + (s.height % 2) };
  return { width: s.width, height: s.height };
}

export const PNG_PATTERN = 'frame_%06d.png';

/**
 * ffmpeg arguments that read raw RGB frames from stdin and write `target` (a file, or for PNG
 * sequences a folder). The muxer is named explicitly so temporary names never confuse ffmpeg.
 */
export function encoderArgs(s: EncodeSettings, target: string): string[] {
  if (!(s.width >= 1 && s.height >= 1 && s.fps > 0)) throw new RangeError('bad frame size or fps');
  const alpha = encodesAlpha(s);
  const input = [
    '-f',
    'rawvideo',
    '-pix_fmt',
    alpha ? 'rgba' : 'rgb24',
    '-s',
    `${s.width}x${s.height}`,
    '-framerate',
    String(s.fps),
    '-i',
    'pipe:0',
  ];
  const audio = s.audioFrom && s.format !== 'png' && s.format !== 'gif';
  const args = [...input];
  if (audio) args.push('-i', s.audioFrom!, '-map', '0:v:0', '-map', '1:a:0?', '-shortest');
  // Padding of an odd side is transparent in a video with alpha, black otherwise.
  const pad = `pad=ceil(iw/2)*2:ceil(ih/2)*2${alpha ? ':color=black@0' : ''}`;
  switch (s.format) {
    case 'mp4':
      args.push(
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        String(s.crf ?? 18),
        '-pix_fmt',
        'yuv420p',
        '-vf',
        pad,
      );
      if (audio) args.push('-c:a', 'copy');
      args.push('-movflags', '+faststart', '-f', 'mp4', target);
      break;
    case 'webm':
      args.push(
        '-c:v',
        'libvpx-vp9',
        '-crf',
        String(s.crf ?? 32),
        '-b:v',
        '0',
        '-deadline',
        'realtime',
        '-cpu-used',
        '8',
        '-row-mt',
        '1',
        '-pix_fmt',
        alpha ? 'yuva420p' : 'yuv420p',
        '-vf',
        pad,
      );
      // WebM only holds Opus/Vorbis: the driving video's audio is re-encoded rather than copied.
      if (audio) args.push('-c:a', 'libopus');
      args.push('-f', 'webm', target);
      break;
    case 'prores':
      args.push(
        '-c:v',
        'prores_ks',
        // ProRes 4444 (profile 4) carries alpha; 422 HQ-less standard (profile 2) otherwise.
        '-profile:v',
        alpha ? '4' : '2',
        '-pix_fmt',
        alpha ? 'yuva444p10le' : 'yuv422p10le',
        '-vendor',
        'apl0',
      );
      if (audio) args.push('-c:a', 'copy');
      args.push('-f', 'mov', target);
      break;
    case 'gif':
      // One pass: palettegen sees every frame, then paletteuse maps them (GIF is for short clips).
      args.push(
        '-filter_complex',
        '[0:v]split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4',
        '-loop',
        '0',
        '-f',
        'gif',
        target,
      );
      break;
    case 'png':
      args.push(
        '-c:v',
        'png',
        '-pix_fmt',
        alpha ? 'rgba' : 'rgb24',
        '-start_number',
        String(s.startNumber ?? 0),
        '-f',
        'image2',
        `${target}/${PNG_PATTERN}`,
      );
      break;
  }
  return ['-y', '-loglevel', 'error', '-stats', ...args];
}
