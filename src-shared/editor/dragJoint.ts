import { FACE, PARENT } from '#shared/pose/skeleton';
import { limbEndingAt, dragEndEffector } from './ik';
import { moveJointFree, rotateBoneToward, translateSubtree } from './kinematics';

/**
 * How dragging a joint changes a pose:
 * - `ik`: wrists and ankles solve their two-bone limb; other joints rotate about their parent (FK);
 * - `fk`: every joint rotates its bone about its parent with the length locked;
 * - `free`: the joint goes where the pointer is (lengths change); hands/face/feet follow rigidly.
 * The root (neck) always carries the whole person; face landmarks always move one by one.
 */
export const DRAG_MODES = ['ik', 'fk', 'free'] as const;
export type DragMode = (typeof DRAG_MODES)[number];

export function dragJoint(
  points: Float64Array,
  joint: number,
  x: number,
  y: number,
  mode: DragMode,
): Float64Array {
  if (PARENT[joint]! < 0) return translateSubtree(points, joint, x, y);
  if (joint >= FACE.start && joint < FACE.start + FACE.count)
    return moveJointFree(points, joint, x, y);
  if (mode === 'free') return moveJointFree(points, joint, x, y);
  if (mode === 'ik') {
    const limb = limbEndingAt(joint);
    if (limb) {
      const solved = dragEndEffector(points, limb, x, y);
      if (solved) return solved.points;
    }
  }
  return rotateBoneToward(points, joint, x, y);
}
