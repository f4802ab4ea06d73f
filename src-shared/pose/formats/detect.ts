import { PoseFormatError, type PoseFormat } from './errors';
import { importComfyUi, importControlNet, looksLikeControlNetFrame } from './controlnet';
import { importCocoKeypoints, looksLikeCocoKeypoints } from './cocoKeypoints';
import { importCocoWholeBody, looksLikeWholeBody } from './cocoWholeBody';
import { importDwposeDict, looksLikeDwposeDict } from './dwposeDict';
import { importMediaPipe, looksLikeMediaPipe } from './mediapipe';
import type { ImportOptions, ImportResult } from './types';
import { importBvh, looksLikeBvh } from '#shared/pose/bvh/importBvh';

export type FileFormat = Exclude<PoseFormat, 'openpose-folder'>;

/** Which dialect a parsed JSON value is written in, or undefined when none matches. */
export function detectPoseFormat(value: unknown): FileFormat | undefined {
  if (looksLikeBvh(value)) return 'bvh';
  if (looksLikeControlNetFrame(value)) return 'controlnet';
  if (Array.isArray(value) && value.length > 0 && value.every(looksLikeControlNetFrame))
    return 'comfyui';
  if (looksLikeCocoKeypoints(value)) return 'coco-keypoints';
  if (looksLikeMediaPipe(value)) return 'mediapipe';
  if (looksLikeWholeBody(value)) return 'coco-wholebody';
  if (looksLikeDwposeDict(value)) return 'dwpose';
  return undefined;
}

const IMPORTERS: Record<FileFormat, (v: unknown, o?: ImportOptions) => ImportResult> = {
  controlnet: importControlNet,
  comfyui: importComfyUi,
  'coco-keypoints': importCocoKeypoints,
  mediapipe: importMediaPipe,
  'coco-wholebody': importCocoWholeBody,
  dwpose: importDwposeDict,
  // BVH is text, not JSON: readers hand its text over as the value
  bvh: (v, o) => importBvh(v as string, o),
};

/**
 * Reads any supported pose JSON: detects the dialect, then imports it. A value of no known
 * dialect fails with a PoseFormatError listing what was expected.
 */
export function importPoses(value: unknown, options: ImportOptions = {}): ImportResult {
  const format = detectPoseFormat(value);
  if (!format) {
    if (Array.isArray(value) && value.some(looksLikeControlNetFrame)) {
      // A ComfyUI list with a broken entry: let the ComfyUI importer name the entry.
      return importComfyUi(value, options);
    }
    throw new PoseFormatError(
      'not a pose file: expected ControlNet/OpenPose JSON ({ "people": [...] }), a ComfyUI ' +
        'POSE_KEYPOINT list, COCO-WholeBody 133 keypoints (DWPose), a DWPose pose dict ({ bodies, ' +
        'hands, faces }), MediaPipe 33 pose landmarks, ' +
        'COCO keypoint annotations or BVH motion capture (text starting with HIERARCHY)',
      [],
      options.fileName,
    );
  }
  return IMPORTERS[format](value, options);
}
