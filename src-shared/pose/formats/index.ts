/** Pose file formats: importers from and exporters to the tools users bring their poses from. */
export * from './errors';
export * from './types';
export { importControlNet, importComfyUi } from './controlnet';
export {
  importOpenPoseFrames,
  parseFrameFileName,
  frameFileName,
  groupFrameFiles,
  type FrameFile,
} from './openposeFolder';
export { importCocoWholeBody } from './cocoWholeBody';
export { importMediaPipe } from './mediapipe';
export { importCocoKeypoints } from './cocoKeypoints';
export { detectPoseFormat, importPoses, type FileFormat } from './detect';
export {
  toControlNetPose,
  toComfyUiPoseKeypoint,
  toOpenPoseFrameFiles,
  type ControlNetPose,
  type ControlNetPerson,
} from './exportControlNet';
export { summarizeFrame, type PartCounts } from './summary';
