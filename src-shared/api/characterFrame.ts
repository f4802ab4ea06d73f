import { emptyPoints, setPoint, type PoseFrame } from '#shared/pose/types';
import { POINT_COUNT } from '#shared/pose/skeleton';
import type { Character } from './model';

/**
 * The character's reference pose as the pose importers take it (one person on the picture's
 * canvas), from the API's view of the character: what BVH import retargets onto, as the CLI's
 * `--retarget character.pose.json` does. Null when there is nothing to retarget onto yet (no
 * picture, or no joint placed), so the import fits the clip into the canvas instead.
 */
export function characterReferenceFrame(character: Character | null): PoseFrame | null {
  if (!character || character.pictureWidth < 1 || character.pictureHeight < 1) return null;
  const points = emptyPoints();
  let placed = 0;
  for (const j of character.joints) {
    if (!(j.index >= 0 && j.index < POINT_COUNT && Number.isInteger(j.index))) continue;
    if (!(Number.isFinite(j.x) && Number.isFinite(j.y) && j.confidence > 0)) continue;
    setPoint(points, j.index, j.x, j.y, Math.min(1, j.confidence));
    placed++;
  }
  if (placed === 0) return null;
  return {
    width: character.pictureWidth,
    height: character.pictureHeight,
    people: [{ id: 0, points }],
  };
}
