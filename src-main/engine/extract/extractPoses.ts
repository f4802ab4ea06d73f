/**
 * Video and picture import: frames → extractor → tracker (stable ids) → One Euro smoothing →
 * dense pose frames on the source canvas. Frames are decoded one at a time; what grows with the
 * video's length is only the poses (≈ 3.3 kB per person per frame), never pictures.
 */
import sharp from 'sharp';
import type { RgbImage } from '#shared/image/rgbImage';
import { DEFAULT_ONE_EURO, PoseSmoother, type OneEuroParams } from '#shared/extract/oneEuro';
import { PersonTracker, type TrackerOptions } from '#shared/extract/tracker';
import { STRIDE, type PoseFrame } from '#shared/pose/types';
import type { PoseExtractor } from './extractor';
import { decodeFrames } from './decodeFrames';
import { ExtractCancelled, ExtractError } from './extractError';
import type { VideoProbe } from '#main/media/ffprobe';

export interface ExtractProgress {
  frame: number;
  /** Expected number of frames at the output rate (estimate from the duration). */
  total: number;
  people: number;
}

export interface VideoExtractOptions {
  ffmpeg: string;
  file: string;
  probe: VideoProbe;
  extractor: PoseExtractor;
  /** Output frame rate (default: the source's average rate, rounded to 3 decimals). */
  fps?: number;
  /** One Euro parameters; null = no smoothing. */
  smoothing?: OneEuroParams | null;
  tracker?: TrackerOptions;
  /** Look for new people every N frames (default 5); in between, follow the known ones. */
  redetectEvery?: number;
  maxSide?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
}

export interface ExtractResult {
  fps: number;
  width: number;
  height: number;
  frames: PoseFrame[];
  /** Distinct people (tracker ids) seen. */
  peopleSeen: number;
  framesWithoutPeople: number;
  warnings: string[];
}

/** Scales points from the decoded size back to the source canvas. */
function toCanvas(points: Float64Array, sx: number, sy: number): Float64Array {
  if (sx === 1 && sy === 1) return points;
  for (let i = 0; i < points.length; i += STRIDE) {
    if (!(points[i + 2]! > 0)) continue;
    points[i] = points[i]! * sx;
    points[i + 1] = points[i + 1]! * sy;
  }
  return points;
}

export async function extractVideo(o: VideoExtractOptions): Promise<ExtractResult> {
  const fps = o.fps ?? Math.round(o.probe.fps * 1000) / 1000;
  if (!(fps > 0 && fps <= 240))
    throw new ExtractError(`frame rate must be in (0, 240], got ${fps}`);
  const decoded = decodeFrames({
    ffmpeg: o.ffmpeg,
    file: o.file,
    width: o.probe.width,
    height: o.probe.height,
    fps,
    ...(o.maxSide ? { maxSide: o.maxSide } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const sx = o.probe.width / decoded.width;
  const sy = o.probe.height / decoded.height;
  const tracker = new PersonTracker(o.tracker);
  const smoother =
    o.smoothing === null ? null : new PoseSmoother(o.smoothing ?? DEFAULT_ONE_EURO, fps);
  const total = o.probe.durationSeconds
    ? Math.max(1, Math.round(o.probe.durationSeconds * fps))
    : o.probe.frames;
  const frames: PoseFrame[] = [];
  let empty = 0;
  const redetectEvery = o.redetectEvery ?? 5;
  let previous: Float64Array[] = [];
  for await (const image of decoded.frames) {
    if (o.signal?.aborted) throw new ExtractCancelled();
    // Follow last frame's people, but look for newcomers every few frames and whenever
    // nobody was there.
    const redetect = previous.length === 0 || frames.length % redetectEvery === 0;
    const found = await o.extractor.extract(image, redetect ? {} : { previousPeople: previous });
    previous = found.map((p) => new Float64Array(p));
    const people = tracker.update(found.map((p) => toCanvas(p, sx, sy)));
    if (people.length === 0) empty++;
    let frame: PoseFrame = { width: o.probe.width, height: o.probe.height, people };
    if (smoother) frame = smoother.smooth(frame);
    frames.push(frame);
    o.onProgress?.({
      frame: frames.length,
      total: Math.max(total, frames.length),
      people: people.length,
    });
  }
  if (frames.length === 0) throw new ExtractError(`${o.file}: no frame could be decoded`);
  const warnings = decoded.warnings.map((w) => `ffmpeg: ${w}`);
  if (empty === frames.length) warnings.unshift('no person was found in any frame');
  else if (empty > 0) warnings.push(`${empty} of ${frames.length} frames have no person`);
  return {
    fps,
    width: o.probe.width,
    height: o.probe.height,
    frames,
    peopleSeen: tracker.peopleSeen,
    framesWithoutPeople: empty,
    warnings,
  };
}

/**
 * Reads a picture as RGB (EXIF orientation applied, alpha flattened on white), shrunk to fit
 * `maxSide` (the extractors work at 640 px or less); `width`/`height` are the picture's own size.
 */
export async function readPicture(
  file: string | Uint8Array,
  maxSide = 1280,
): Promise<{ image: RgbImage; width: number; height: number }> {
  const name = typeof file === 'string' ? file : 'the picture';
  try {
    // Size after EXIF orientation (5–8 turn the picture by 90°), without decoding twice.
    const meta = await sharp(file).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    const { data, info } = await sharp(file)
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
    return { image, width, height };
  } catch (e) {
    throw new ExtractError(
      `${name}: not a picture that can be read (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

/** Extracts the people of one picture (a file, or its encoded bytes) on the picture's canvas. */
export async function extractPicture(
  file: string | Uint8Array,
  extractor: PoseExtractor,
  maxSide = 1280,
): Promise<ExtractResult> {
  const { image, width, height } = await readPicture(file, maxSide);
  const found = await extractor.extract(image);
  return pictureResult(
    width,
    height,
    found.map((points) => toCanvas(points, width / image.width, height / image.height)),
  );
}

/** The result of extracting one picture: one frame with the people found, on its canvas. */
export function pictureResult(
  width: number,
  height: number,
  found: readonly Float64Array[],
): ExtractResult {
  const people = found.map((points, id) => ({ id, points }));
  return {
    fps: 1,
    width,
    height,
    frames: [{ width, height, people }],
    peopleSeen: people.length,
    framesWithoutPeople: people.length === 0 ? 1 : 0,
    warnings: people.length === 0 ? ['no person was found in the picture'] : [],
  };
}
