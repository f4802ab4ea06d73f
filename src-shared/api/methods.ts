import { coherenceReportSchema } from './coherence';
import { z } from 'zod';
import {
  appInfoSchema,
  canvasSizeSchema,
  characterSchema,
  engineInfoSchema,
  fpsSchema,
  projectSummarySchema,
  renderJobSchema,
  renderPlanSchema,
  renderSettingsSchema,
  transitionPreviewSchema,
} from './model';
import { detectPoseParamsSchema, detectPoseResultSchema } from './detectPose';
import { characterStateSchema } from './characterState';
import { cacheUsageSchema } from './cache';
import { openSampleMethods } from './openSample';
import { motionMethods } from './motions';
import { videoImportMethods } from './videoImport';
import {
  base64Length,
  MAX_PICTURE_BASE64,
  MAX_PICTURE_BYTES,
  PICTURE_PART_BYTES,
  PICTURE_TOO_LARGE_TEXT,
} from './sizeLimits';
import { recentProjectSchema, settingsPatchSchema, settingsSchema } from './settings';
import { MAX_FRAME, MAX_PICTURE_SIDE, coordinateRange } from '#shared/project/limits';
import { TrackSchema } from '#shared/project/schema';
import { LayerOverridesSchema } from '#shared/puppet/layerOverrides';
import { characterMaskSchema } from './characterMask';

const pictureCoordinate = z
  .number()
  .min(coordinateRange(MAX_PICTURE_SIDE).min)
  .max(coordinateRange(MAX_PICTURE_SIDE).max);
const none = z.object({}).strict();
const jobRef = z.object({ jobId: z.string().min(1).max(200) }).strict();
const folderPath = z.string().min(1).max(4096);

/**
 * THE contract: every method the UI can call, with its parameter and result schemas. The IPC
 * bridge (preload/main) and the WebSocket host both implement exactly this table, and both
 * validate params on the service side before anything runs.
 */
export const apiMethods = {
  'app.info': { params: none, result: appInfoSchema },

  'settings.get': { params: none, result: settingsSchema },
  'settings.update': { params: settingsPatchSchema, result: settingsSchema },

  'engine.info': { params: none, result: engineInfoSchema },

  /** Size of the open project's cache by kind, and the limit renders prune it to. */
  'cache.usage': { params: none, result: cacheUsageSchema },

  'projects.recent': { params: none, result: z.array(recentProjectSchema) },
  'projects.create': {
    params: z
      .object({
        folder: folderPath,
        name: z.string().min(1).max(200),
        size: canvasSizeSchema,
        fps: fpsSchema,
      })
      .strict(),
    result: projectSummarySchema,
  },
  'projects.open': {
    params: z.object({ folder: folderPath }).strict(),
    result: projectSummarySchema,
  },
  'projects.current': { params: none, result: projectSummarySchema.nullable() },
  ...openSampleMethods,

  'character.get': { params: none, result: characterSchema },
  /** One part of a large picture (see PICTURE_PART_BYTES); parts go in order from offset 0. */
  'character.uploadPicturePart': {
    params: z
      .object({
        /** Chosen by the client (a random UUID); names the upload in importPicture. */
        uploadId: z.string().min(8).max(64),
        offset: z.number().int().min(0).max(MAX_PICTURE_BYTES),
        /** Size of the whole picture, the same in every part. */
        total: z.number().int().min(1).max(MAX_PICTURE_BYTES, PICTURE_TOO_LARGE_TEXT),
        dataBase64: z.string().min(1).max(base64Length(PICTURE_PART_BYTES)),
      })
      .strict(),
    result: z.object({ received: z.number().int().nonnegative() }),
  },
  'character.importPicture': {
    params: z
      .object({
        fileName: z.string().min(1).max(255),
        /** The picture's bytes, base64 (so it works the same over IPC and WebSocket). */
        dataBase64: z.string().min(1).max(MAX_PICTURE_BASE64, PICTURE_TOO_LARGE_TEXT).optional(),
        /** Or: the upload its parts were sent under. */
        uploadId: z.string().min(8).max(64).optional(),
      })
      .strict()
      .refine((p) => (p.dataBase64 === undefined) !== (p.uploadId === undefined), {
        message: 'give the picture as dataBase64 or as an uploadId (exactly one)',
      }),
    result: characterSchema,
  },
  'character.moveJoint': {
    params: z
      .object({
        index: z.number().int().min(0).max(135),
        // On the character's picture, whose size the contract does not see: the largest picture.
        x: pictureCoordinate,
        y: pictureCoordinate,
      })
      .strict(),
    result: characterSchema,
  },
  /**
   * Runs the pose extractor (in the engine process) on the character's picture and saves the
   * person found as the character's reference pose. Only ever called by the user's button.
   */
  'character.detectPose': { params: detectPoseParamsSchema, result: detectPoseResultSchema },
  /** Puts back the reference pose from before the last detection(s) of the current picture. */
  'character.undoDetectPose': { params: none, result: characterSchema },
  /**
   * The mask and part layers the puppet makes of the character (set up in the engine), where
   * the mask came from and every warning with its fix. `automatic`: the mask the puppet makes
   * without the user's mask file (the mask editor's "Auto").
   */
  'character.mask': {
    params: z.object({ automatic: z.boolean().optional() }).strict(),
    result: characterMaskSchema,
  },
  /** Makes a PNG (white = character, the picture's shape) the character's mask. */
  'character.importMask': {
    params: z
      .object({
        fileName: z.string().min(1).max(255),
        dataBase64: z.string().min(1).max(MAX_PICTURE_BASE64, PICTURE_TOO_LARGE_TEXT),
      })
      .strict(),
    result: characterSchema,
  },
  /** Back to the automatic mask (the project forgets its mask; the file is kept). */
  'character.clearMask': { params: none, result: characterSchema },
  /** The user's layer per part (bone name → layer, higher = nearer); {} clears them. */
  'character.setLayers': {
    params: z.object({ layers: LayerOverridesSchema }).strict(),
    result: characterSchema,
  },
  /** Puts the character back as it was (undo/redo of a picture, pose or joint change). */
  'character.restore': { params: characterStateSchema, result: characterSchema },

  /** The pose track renders use (the project's `render.trackId`, else its first), or null. */
  ...motionMethods,
  'track.get': { params: none, result: TrackSchema.nullable() },
  /** Replaces the track with the same id (or adds it): what the pose editor saves. */
  'track.save': {
    params: z.object({ track: TrackSchema }).strict(),
    result: projectSummarySchema,
  },

  'render.defaults': { params: none, result: renderSettingsSchema },
  'render.list': { params: none, result: z.array(renderJobSchema) },
  'render.start': {
    params: z.object({ settings: renderSettingsSchema }).strict(),
    result: renderJobSchema,
  },
  'render.cancel': { params: jobRef, result: renderJobSchema },
  'render.pause': { params: jobRef, result: renderJobSchema },
  'render.resume': { params: jobRef, result: renderJobSchema },
  /** The render plan's segments for the project's current settings, with cache/job state. */
  'render.plan': { params: none, result: renderPlanSchema },
  /** Renders the frames around a segment boundary with the fast puppet generator, small. */
  'render.previewTransition': {
    params: z
      .object({
        frame: z.number().int().min(0).max(MAX_FRAME),
        before: z.number().int().min(0).max(120).optional(),
        after: z.number().int().min(1).max(120).optional(),
        width: z.number().int().min(32).max(1280).optional(),
      })
      .strict(),
    result: transitionPreviewSchema,
  },
  /**
   * The coherence report of a finished job (`renders/<job>/coherence.json`: seams, flicker,
   * colour drift), or null when the job has none yet.
   */
  'render.coherence': { params: jobRef, result: coherenceReportSchema.nullable() },
  /**
   * Opens the folder of the job's output in the OS file manager, the video selected (desktop), or
   * returns where it is (browser mode): `output` is the video file or the PNG frames' folder.
   */
  'render.openFolder': {
    params: jobRef,
    result: z.object({ folder: z.string(), output: z.string(), opened: z.boolean() }),
  },
  ...videoImportMethods,
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiMethodName = keyof ApiMethods;
export type ApiParams<M extends ApiMethodName> = z.input<ApiMethods[M]['params']>;
export type ApiResult<M extends ApiMethodName> = z.output<ApiMethods[M]['result']>;

export const apiMethodNames = Object.keys(apiMethods) as ApiMethodName[];

export function isApiMethod(name: string): name is ApiMethodName {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}
