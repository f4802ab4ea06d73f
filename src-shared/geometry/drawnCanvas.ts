/**
 * Which canvas a pose file was drawn on, so an import lands on the character instead of in a
 * corner. A file that states its canvas (OpenPose/ControlNet `canvas_width`/`canvas_height`,
 * COCO's image size) is believed. Otherwise the points' extent decides between the character
 * picture and the project canvas: the one the points fit in; when both fit (or neither), the
 * user is asked, with the tighter fit offered first.
 */
import type { PoseFrame, PoseTrack } from '#shared/pose/types';
import { placePicture, pictureToCanvas, usableSize, type Size } from './pictureCanvas';

/** Where a canvas guess comes from, in the words the import dialog shows. */
export const CANVAS_SOURCES = ['file', 'picture', 'project'] as const;
export type CanvasSource = (typeof CANVAS_SOURCES)[number];

export interface CanvasCandidate {
  source: CanvasSource;
  size: Size;
}

export interface DrawnCanvasGuess {
  /** Candidates the user may pick from, the suggested one first. */
  candidates: CanvasCandidate[];
  /** True when the file does not settle it: the dialog asks. */
  ambiguous: boolean;
}

/** The smallest rectangle holding every present point, or null when no point is present. */
export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Extent of the present, finite points of some frames. */
export function poseExtent(frames: readonly PoseFrame[]): Extent | null {
  let e: Extent | null = null;
  for (const f of frames)
    for (const p of f.people)
      for (let i = 0; i + 2 < p.points.length; i += 3) {
        const x = p.points[i]!;
        const y = p.points[i + 1]!;
        if (!(p.points[i + 2]! > 0) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
        if (!e) e = { minX: x, minY: y, maxX: x, maxY: y };
        else {
          e.minX = Math.min(e.minX, x);
          e.minY = Math.min(e.minY, y);
          e.maxX = Math.max(e.maxX, x);
          e.maxY = Math.max(e.maxY, y);
        }
      }
  return e;
}

/**
 * Points may reach a little past the edge they were drawn in (a detector's hand at the border,
 * rounding): 2% of a side, at least one pixel.
 */
function fitsIn(e: Extent, s: Size): boolean {
  const tx = Math.max(1, s.width * 0.02);
  const ty = Math.max(1, s.height * 0.02);
  return e.minX >= -tx && e.minY >= -ty && e.maxX <= s.width + tx && e.maxY <= s.height + ty;
}

const area = (s: Size) => s.width * s.height;
const sameSize = (a: Size, b: Size) => a.width === b.width && a.height === b.height;

/**
 * The canvas a pose file was drawn on. `stated` is the file's own canvas (null when it has none),
 * `extent` its points' extent in pixels, `picture` the character picture (null before one is
 * imported) and `project` the editor's canvas.
 */
export function guessDrawnCanvas(input: {
  stated: Size | null;
  extent: Extent | null;
  picture: Size | null;
  project: Size;
}): DrawnCanvasGuess {
  const { stated, extent, picture, project } = input;
  if (usableSize(stated))
    return { candidates: [{ source: 'file', size: stated }], ambiguous: false };
  const all: CanvasCandidate[] = [{ source: 'project', size: project }];
  // A picture the size of the canvas is the same canvas: nothing to ask.
  if (usableSize(picture) && !sameSize(picture, project))
    all.unshift({ source: 'picture', size: picture });
  if (all.length === 1 || !extent) return { candidates: all, ambiguous: false };
  const fitting = all.filter((c) => fitsIn(extent, c.size));
  if (fitting.length === 1)
    return { candidates: [fitting[0]!, ...all.filter((c) => c !== fitting[0])], ambiguous: false };
  // Both fit: the tighter canvas is the likelier one. Neither fits: the larger loses less.
  const byArea = [...all].sort((a, b) => area(a.size) - area(b.size));
  return { candidates: fitting.length ? byArea : byArea.reverse(), ambiguous: true };
}

/**
 * The track moved from the canvas it was drawn on onto `canvas`, placed as the picture is
 * (aspect kept, centred); the result is on `canvas`. Tracks already on it are returned as they are.
 */
export function placeTrackOn(track: PoseTrack, drawnOn: Size, canvas: Size): PoseTrack {
  const placement = placePicture(drawnOn, canvas);
  if (!placement) return track;
  return {
    width: canvas.width,
    height: canvas.height,
    people: track.people.map((p) => ({
      ...p,
      keyframes: p.keyframes.map((k) => ({ ...k, points: pictureToCanvas(k.points, placement) })),
    })),
  };
}

/** What the dialog says about a candidate: "the picture (153×192)". */
export function candidateText(c: CanvasCandidate): string {
  const size = `${c.size.width}×${c.size.height}`;
  const what = { file: "the file's canvas", picture: 'the picture', project: 'the project canvas' };
  return `${what[c.source]} (${size})`;
}
