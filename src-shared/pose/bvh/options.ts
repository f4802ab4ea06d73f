import type { PoseFrame } from '#shared/pose/types';
import type { BvhCamera, BvhProjection } from './camera';
import type { BvhFamily, Role } from './mapping';

/** How a BVH clip becomes 2-D poses (the studio's import options and the CLI's flags). */
export interface BvhImportOptions {
  camera?: BvhCamera;
  projection?: BvhProjection;
  /** Frames per second of the poses (the project's fps; default 24). */
  fps?: number;
  /** Character reference pose: bone lengths, scale, where the neck starts and the canvas. */
  character?: PoseFrame;
  /** Keep the hips over their frame-0 spot (vertical motion stays: jumps, crouches). */
  inPlace?: boolean;
}

/** What `poses inspect` shows about a clip. */
export interface BvhSummary {
  joints: string[];
  sourceFrames: number;
  frameTime: number;
  family: BvhFamily;
  /** Body role → BVH joint name, for the roles the mapper found. */
  mapping: Partial<Record<Role, string>>;
  fps: number;
}

/** The words the studio shows for each camera and projection (the CLI takes the ids). */
export const BVH_CAMERA_LABELS: Record<BvhCamera, string> = {
  front: 'Front',
  side: 'Side',
  '3q': 'Three-quarter',
};
export const BVH_PROJECTION_LABELS: Record<BvhProjection, string> = {
  ortho: 'Orthographic',
  perspective: 'Perspective',
};
