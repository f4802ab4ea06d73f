/**
 * One interface for every pose extractor the engine can run. An extractor sees one picture and
 * returns the whole-body people in it (136 points each, picture pixels, c = score); ids, tracking
 * and smoothing are the video importer's business.
 */
import type { RgbImage } from '#shared/image/rgbImage';

export type ExtractorName = 'builtin' | 'dwpose';

export interface ExtractorInfo {
  name: ExtractorName;
  /** Models used, for reports ("MoveNet-Lightning + handtrack + facemesh (tfjs-wasm)"). */
  models: string;
  /** How many people one picture can yield (builtin: MoveNet-Lightning is single-person). */
  maxPeople: number;
}

/** What a video importer knows from the previous frame (same picture size), to save detection. */
export interface ExtractContext {
  /** People of the previous frame (picture pixels); the extractor may pose them where they were. */
  previousPeople?: readonly Float64Array[];
}

export interface PoseExtractor {
  readonly info: ExtractorInfo;
  /** People found in the picture, best first; an empty list when nobody is there. */
  extract(image: RgbImage, context?: ExtractContext): Promise<Float64Array[]>;
  close(): Promise<void>;
}

/** The extractor cannot be used (missing pack, unreadable model): the message says which file. */
export class ExtractorError extends Error {
  override name = 'ExtractorError';
}
