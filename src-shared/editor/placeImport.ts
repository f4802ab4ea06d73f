import { importPoses } from '#shared/pose/formats/index';
import {
  guessDrawnCanvas,
  placeTrackOn,
  poseExtent,
  type CanvasCandidate,
  type DrawnCanvasGuess,
} from '#shared/geometry/drawnCanvas';
import type { Size } from '#shared/geometry/pictureCanvas';
import { importPoseFile, type ImportedTrack } from './poseFiles';

/**
 * Which canvas a pose file (parsed JSON) was drawn on — its own stated canvas, else the picture
 * or the project canvas by where its points lie — or null when the file cannot be read (the
 * import itself then says why).
 */
export function drawnCanvasOf(
  value: unknown,
  options: { fileName?: string; picture: Size | null; project: Size },
): DrawnCanvasGuess | null {
  try {
    const r = importPoses(value, options.fileName ? { fileName: options.fileName } : {});
    const first = r.frames[0];
    const stated =
      first && !r.warnings.some((w) => w.code === 'canvas-guessed')
        ? { width: first.width, height: first.height }
        : null;
    return guessDrawnCanvas({
      stated,
      extent: poseExtent(r.frames),
      picture: options.picture,
      project: options.project,
    });
  } catch {
    return null;
  }
}

/**
 * A pose file imported as drawn on `drawnOn`, then placed on the project canvas as the picture
 * is placed there: a pose drawn on the character's photo lands on the character.
 */
export function importPlaced(
  value: unknown,
  options: { fileName?: string; tolerance: number; drawnOn: CanvasCandidate; project: Size },
): ImportedTrack {
  const { drawnOn, project, ...rest } = options;
  // A canvas the file states is its own; a guessed one is given as the size of a canvas-less file.
  const r = importPoseFile(
    value,
    drawnOn.source === 'file' ? rest : { ...rest, size: drawnOn.size },
  );
  return { ...r, track: placeTrackOn(r.track, r.track, project) };
}
