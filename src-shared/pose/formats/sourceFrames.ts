import { MAX_CANVAS_SIDE, coordinateRange } from '#shared/project/limits';
import { POINT_COUNT, POINT_NAMES } from '#shared/pose/skeleton';
import { STRIDE, type PersonPose, type PoseFrame } from '#shared/pose/types';
import { PoseFormatError, type PathStep, type WarningSink } from './errors';
import type { CanvasSize, ImportOptions } from './types';

/**
 * A frame as read from a file, before its coordinates are known to be pixels: importers fill
 * these, then `resolveFrames` decides (once for the whole sequence, so every frame agrees) whether
 * the numbers are normalized and which canvas they live on.
 */
export interface SourceFrame {
  /** Canvas written in the file, if any. */
  canvas?: CanvasSize;
  people: PersonPose[];
  /** Where the frame is, for warnings (a file name for folders, `[3]` for lists). */
  path: PathStep[];
  /** File of this frame (per-frame folders), for warnings. */
  file?: string;
}

/** ControlNet falls back to 512×512 for normalized poses without a canvas; so do we. */
export const DEFAULT_NORMALIZED_CANVAS: CanvasSize = { width: 512, height: 512 };

type Space = 'pixels' | '0..1' | '-1..1';

function* presentCoordinates(frames: readonly SourceFrame[]): Generator<[number, number]> {
  for (const f of frames)
    for (const p of f.people)
      for (let i = 0; i < POINT_COUNT; i++) {
        const o = i * STRIDE;
        if (p.points[o + 2]! > 0) yield [p.points[o]!, p.points[o + 1]!];
      }
}

/**
 * Normalized when every present coordinate has |v| ≤ 1 (the rule ControlNet and the web editor
 * use) — or ≤ 2: normalized poses with points just off the picture go a little past 1 (DWPose
 * output in ComfyUI does), while a pixel pose no more than 2 px across is not a pose. [-1,1]
 * rather than [0,1] when some coordinate is clearly negative (< −0.1): [0,1] files only go
 * slightly below zero for points just off the picture.
 */
function detectSpace(
  frames: readonly SourceFrame[],
  options: ImportOptions,
  sink: WarningSink,
  forceNormalized: boolean,
): Space {
  let any = false;
  let maxAbs = 0;
  let min = Infinity;
  for (const [x, y] of presentCoordinates(frames)) {
    any = true;
    maxAbs = Math.max(maxAbs, Math.abs(x), Math.abs(y));
    min = Math.min(min, x, y);
  }
  if (!forceNormalized && (!any || maxAbs > 2)) return 'pixels';
  if (!forceNormalized && maxAbs > 1)
    sink.add(
      'coordinates-guessed',
      [],
      `all coordinates are within ±${maxAbs.toFixed(3)}: read as normalized (points slightly off the picture)`,
    );
  const range = options.normalizedRange ?? 'auto';
  if (range !== 'auto') return range;
  if (min < -0.1) {
    sink.add(
      'coordinates-guessed',
      [],
      `coordinates are normalized and go down to ${min.toFixed(3)}: read as [-1, 1] (OpenPose --keypoint_scale 4)`,
    );
    return '-1..1';
  }
  return '0..1';
}

function boundingCanvas(frames: readonly SourceFrame[]): CanvasSize | undefined {
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of presentCoordinates(frames)) {
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  if (maxX === -Infinity) return undefined;
  // Leave a small margin so the outermost points are not on the edge.
  const pad = (v: number): number =>
    Math.min(MAX_CANVAS_SIDE, Math.max(1, Math.ceil(v * 1.05 + 8)));
  return { width: pad(maxX), height: pad(maxY) };
}

const sameSize = (a: CanvasSize, b: CanvasSize): boolean =>
  a.width === b.width && a.height === b.height;
const sizeText = (s: CanvasSize): string => `${s.width}×${s.height}`;

/**
 * Turns source frames into pixel PoseFrames. Canvas of a frame: the one in the file, else
 * `options.size`, else `options.pictureSize`, else (normalized) 512×512 or (pixels) the bounding
 * box of all frames' points, each guess reported once.
 */
export function resolveFrames(
  frames: readonly SourceFrame[],
  options: ImportOptions,
  sink: WarningSink,
  forceNormalized = false,
): PoseFrame[] {
  const space = detectSpace(frames, options, sink, forceNormalized);
  let fallback: CanvasSize | undefined = options.size ?? options.pictureSize;
  const needsFallback = frames.some((f) => !f.canvas);
  if (needsFallback && !fallback) {
    if (space !== 'pixels') {
      fallback = DEFAULT_NORMALIZED_CANVAS;
      sink.add(
        'canvas-guessed',
        [],
        'normalized coordinates and no canvas size: using 512×512 as ControlNet does (give a size to choose another)',
      );
    } else {
      fallback = boundingCanvas(frames) ?? DEFAULT_NORMALIZED_CANVAS;
      sink.add(
        'canvas-guessed',
        [],
        `no canvas size given: using ${sizeText(fallback)} from the points' bounding box (give a size or the picture to set it)`,
      );
    }
  }
  if (options.size) {
    const ignored = frames.find((f) => f.canvas && !sameSize(f.canvas, options.size!));
    if (ignored?.canvas)
      sink.add(
        'canvas-ignored',
        ignored.path,
        `the file's canvas ${sizeText(ignored.canvas)} is kept; the given size ${sizeText(options.size)} only applies to files without one`,
      );
  }

  let outside = 0;
  const result = frames.map((f): PoseFrame => {
    const canvas = f.canvas ?? fallback!;
    const { width, height } = canvas;
    const xs = coordinateRange(width);
    const ys = coordinateRange(height);
    f.people.forEach((person, k) => {
      const pts = person.points;
      for (let i = 0; i < POINT_COUNT; i++) {
        const o = i * STRIDE;
        if (!(pts[o + 2]! > 0)) continue;
        if (space === '0..1') {
          pts[o] = pts[o]! * width;
          pts[o + 1] = pts[o + 1]! * height;
        } else if (space === '-1..1') {
          pts[o] = ((pts[o]! + 1) / 2) * width;
          pts[o + 1] = ((pts[o + 1]! + 1) / 2) * height;
        }
        const x = pts[o]!;
        const y = pts[o + 1]!;
        if (x < 0 || y < 0 || x > width || y > height) outside++;
        const bad =
          x < xs.min || x > xs.max
            ? { axis: 'x', v: x, r: xs }
            : y < ys.min || y > ys.max
              ? { axis: 'y', v: y, r: ys }
              : undefined;
        if (bad)
          throw new PoseFormatError(
            `person ${k + 1} of ${f.people.length}, point ${POINT_NAMES[i]}: ${bad.axis} = ${bad.v} is too far outside the ${width}×${height} canvas (must be from ${bad.r.min} to ${bad.r.max})`,
            f.path,
            f.file ?? sink.file,
          );
      }
    });
    return { width, height, people: f.people };
  });
  if (outside > 0)
    sink.add(
      'outside-canvas',
      [],
      `${outside} point${outside === 1 ? ' lies' : 's lie'} outside the canvas (kept; drawing clips them)`,
    );
  return result;
}
