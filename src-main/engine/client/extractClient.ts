/**
 * The extraction requests: the people in a picture (file or encoded bytes) or in one decoded video
 * frame, posed in the engine process so the caller's thread stays free.
 */
import type { z } from 'zod';
import type { RgbImage } from '#shared/image/rgbImage';
import {
  type ExtractorChoiceSchema,
  ExtractFramePosesResultSchema,
  ExtractPosesResultSchema,
  type PictureSource,
} from '#main/engine/protocol';
import type { EngineConnection } from './connection';

/** Which extractor the engine runs (see src-main/engine/extract/createExtractor.ts). */
export type EngineExtractorChoice = z.infer<typeof ExtractorChoiceSchema>;

export interface PicturePoseRequest {
  /** A picture file the engine reads, or the picture's encoded bytes (PNG, JPEG, WebP…). */
  source: z.infer<typeof PictureSource>;
  /** Default: the built-in extractor. */
  extractor?: EngineExtractorChoice;
  /** Points scoring below this are missing (extractor default when absent). */
  minScore?: number;
  /** The picture is posed at most this many px on its longest side (default 1280). */
  maxSide?: number;
}

/**
 * The picture's own size (points are in its pixels), 136×3 numbers per person (best first; empty
 * when nobody was found), the extractor's name and the time it took.
 */
export type PicturePose = z.infer<typeof ExtractPosesResultSchema>;

/** The first extraction loads the models (tfjs-wasm or DWPose sessions): allow for it. */
const EXTRACT_TIMEOUT_MS = 300_000;

export class ExtractClient {
  constructor(private readonly connection: EngineConnection) {}

  /** The people in one picture. */
  async extractPicturePose(req: PicturePoseRequest): Promise<PicturePose> {
    return ExtractPosesResultSchema.parse(
      await this.connection.request(
        {
          type: 'extractPoses',
          source: req.source,
          settings: {
            extractor: req.extractor ?? { name: 'builtin' },
            ...(req.minScore !== undefined ? { minScore: req.minScore } : {}),
          },
          ...(req.maxSide !== undefined ? { maxSide: req.maxSide } : {}),
        },
        EXTRACT_TIMEOUT_MS,
      ),
    );
  }

  /**
   * The people in one decoded video frame (picture pixels); the previous frame's people let the
   * extractor follow them instead of detecting again.
   */
  async extractFramePoses(req: {
    frame: RgbImage;
    extractor?: EngineExtractorChoice;
    minScore?: number;
    previousPeople?: readonly Float64Array[];
  }): Promise<Float64Array[]> {
    const result = ExtractFramePosesResultSchema.parse(
      await this.connection.request(
        {
          type: 'extractFramePoses',
          frame: { width: req.frame.width, height: req.frame.height, data: req.frame.data },
          settings: {
            extractor: req.extractor ?? { name: 'builtin' },
            ...(req.minScore !== undefined ? { minScore: req.minScore } : {}),
          },
          ...(req.previousPeople ? { previousPeople: [...req.previousPeople] } : {}),
        },
        EXTRACT_TIMEOUT_MS,
      ),
    );
    return result.people;
  }
}
