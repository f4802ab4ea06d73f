import { z } from 'zod';
import { TrackSchema } from '#shared/project/schema';
import { base64Length } from './sizeLimits';

/**
 * Importing a driving video in the studio: the video is sent in parts (it is written to a
 * temporary file on the host, never held in memory), extracted in an engine process with
 * progress and cancel, then one of the people found becomes the editor's track, retargeted onto
 * the character as `pose-studio extract --track --retarget` does. Its sound can become the
 * render's audio (`output.audio`).
 */

/** Largest video the studio imports (written to disk part by part, so memory does not grow). */
export const MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;
/** Size of one part of a video upload (one WebSocket message). */
export const VIDEO_PART_BYTES = 1024 * 1024;

/** What an import is doing; "done", "failed" and "cancelled" do not change again. */
export const VIDEO_IMPORT_STATES = ['extracting', 'done', 'failed', 'cancelled'] as const;
export type VideoImportState = (typeof VIDEO_IMPORT_STATES)[number];

const importId = z.string().min(8).max(64);

export const videoUploadPartParamsSchema = z.strictObject({
  /** Chosen by the client (random hex); names the import from then on. */
  uploadId: importId,
  offset: z.number().int().min(0).max(MAX_VIDEO_BYTES),
  /** Size of the whole video, the same in every part. */
  total: z.number().int().min(1).max(MAX_VIDEO_BYTES, 'the video is larger than 2 GB'),
  dataBase64: z.string().min(1).max(base64Length(VIDEO_PART_BYTES)),
});

export const videoStartParamsSchema = z.strictObject({
  uploadId: importId,
  fileName: z.string().min(1).max(255),
});

export const videoImportRefSchema = z.strictObject({ importId });

/** A person the tracker followed through the video, to choose from. */
export const videoPersonSchema = z.object({
  id: z.number().int().nonnegative(),
  /** Frames the person is in. */
  frames: z.number().int().nonnegative(),
  /** Their box on the still frame (video pixels), or null when they are not in that frame. */
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).nullable(),
});
export type VideoPerson = z.infer<typeof videoPersonSchema>;

export const videoImportStatusSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  state: z.enum(VIDEO_IMPORT_STATES),
  /** Frames extracted so far, of about `total` (an estimate from the duration until done). */
  frame: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Seconds left at the speed so far; null until a few frames have been timed. */
  etaSeconds: z.number().nonnegative().nullable(),
  /** The video's own size, frame rate and whether it has sound. */
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  fps: z.number().nonnegative(),
  hasAudio: z.boolean(),
  /** Why it failed, or what was noticed on the way (frames without anybody…). */
  message: z.string().optional(),
  warnings: z.array(z.string()),
  /** Once done: the people found, most frames first. */
  people: z.array(videoPersonSchema),
  /** Once done: the frame (index) the people are shown on, as a JPEG data URL. */
  still: z.object({ frame: z.number().int().nonnegative(), dataUrl: z.string() }).nullable(),
});
export type VideoImportStatus = z.infer<typeof videoImportStatusSchema>;

export const videoMotionParamsSchema = z.strictObject({
  importId,
  personId: z.number().int().nonnegative(),
  /** Largest playback error of the keyframes, in pixels (default 2). */
  tolerance: z.number().min(0).max(100).optional(),
});

export const videoMotionSchema = z.object({
  track: TrackSchema,
  frames: z.number().int().positive(),
  keyframes: z.number().int().nonnegative(),
  maxError: z.number().nonnegative(),
  /** Retargeted onto the character's reference pose (false: no pose placed yet). */
  retargeted: z.boolean(),
});
export type VideoMotion = z.infer<typeof videoMotionSchema>;

/** The contract's methods of video import (registered in methods.ts). */
export const videoImportMethods = {
  'video.uploadPart': {
    params: videoUploadPartParamsSchema,
    result: z.object({ received: z.number().int().nonnegative() }),
  },
  /** Probes the uploaded video (refused in words when it is not one) and starts extraction. */
  'video.startImport': { params: videoStartParamsSchema, result: videoImportStatusSchema },
  'video.importStatus': { params: videoImportRefSchema, result: videoImportStatusSchema },
  /** Stops decoding and the engine's work; the project is not touched. */
  'video.cancelImport': { params: videoImportRefSchema, result: videoImportStatusSchema },
  /** The chosen person's motion as a track for the editor (nothing is saved). */
  'video.motion': { params: videoMotionParamsSchema, result: videoMotionSchema },
  /** Copies the video into the project's assets and makes it the render's audio. */
  'video.keepAudio': {
    params: videoImportRefSchema,
    result: z.object({ audio: z.string() }),
  },
} as const;
