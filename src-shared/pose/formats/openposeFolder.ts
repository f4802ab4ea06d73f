import { PoseFormatError, WarningSink } from './errors';
import { readControlNetFrame } from './controlnet';
import { resolveFrames, type SourceFrame } from './sourceFrames';
import type { ImportOptions, ImportResult } from './types';

/**
 * CMU OpenPose `--write_json` folders: one file per video frame, named
 * `{name}_{12-digit frame}_keypoints.json`. Reading the folder is Node's job (poseFiles.ts);
 * ordering, gap reporting and parsing are here.
 */

/** Longest run of frames a folder may span (gaps included): about 9 hours at 30 fps. */
const MAX_SPAN = 1_000_000;

const FRAME_FILE = /^(.*)_(\d{12})_keypoints\.json$/;

export interface FrameFileName {
  name: string;
  frame: number;
}

/** `clip_000000000042_keypoints.json` → `{ name: 'clip', frame: 42 }`; other names → undefined. */
export function parseFrameFileName(fileName: string): FrameFileName | undefined {
  const m = FRAME_FILE.exec(fileName);
  return m ? { name: m[1]!, frame: Number(m[2]) } : undefined;
}

export function frameFileName(name: string, frame: number): string {
  if (!Number.isInteger(frame) || frame < 0 || frame > 999_999_999_999)
    throw new RangeError(`frame number must be a whole number below 10^12, got ${frame}`);
  return `${name}_${String(frame).padStart(12, '0')}_keypoints.json`;
}

export interface FrameFile {
  fileName: string;
  json: unknown;
}

/** Which file names of a folder listing are frames of a sequence, grouped by sequence name. */
export function groupFrameFiles(fileNames: readonly string[]): Map<string, FrameFileName[]> {
  const groups = new Map<string, FrameFileName[]>();
  for (const f of fileNames) {
    const parsed = parseFrameFileName(f);
    if (!parsed) continue;
    const list = groups.get(parsed.name) ?? [];
    list.push(parsed);
    groups.set(parsed.name, list);
  }
  return groups;
}

function describeGaps(missing: number[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < missing.length) {
    let j = i;
    while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
    runs.push(i === j ? `${missing[i]}` : `${missing[i]}–${missing[j]}`);
    i = j + 1;
  }
  const shown = runs.slice(0, 10).join(', ');
  return runs.length > 10 ? `${shown} and ${runs.length - 10} more runs` : shown;
}

/**
 * Builds the sequence from the frame files of one name. Frames are ordered by their number, not
 * by listing order; a missing number becomes an empty frame (no people) so timing stays true to
 * the video, and the gaps are reported.
 */
export function importOpenPoseFrames(
  files: readonly FrameFile[],
  options: ImportOptions = {},
): ImportResult {
  const where = options.fileName;
  if (files.length === 0)
    throw new PoseFormatError('no {name}_{12-digit frame}_keypoints.json files', [], where);
  const named = files.map((f) => {
    const parsed = parseFrameFileName(f.fileName);
    if (!parsed)
      throw new PoseFormatError(
        'file name is not {name}_{12-digit frame}_keypoints.json',
        [],
        f.fileName,
      );
    return { ...parsed, file: f };
  });
  const names = [...new Set(named.map((n) => n.name))];
  if (names.length > 1)
    throw new PoseFormatError(
      `holds ${names.length} sequences (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}); choose one`,
      [],
      where,
    );
  named.sort((a, b) => a.frame - b.frame);
  const sink = new WarningSink(where);
  const byFrame = new Map<number, SourceFrame>();
  for (const n of named) {
    if (byFrame.has(n.frame))
      throw new PoseFormatError(`frame ${n.frame} appears twice`, [], n.file.fileName);
    sink.file = n.file.fileName;
    byFrame.set(n.frame, readControlNetFrame(n.file.json, [], sink));
  }
  sink.file = where;
  const first = named[0]!.frame;
  const last = named[named.length - 1]!.frame;
  if (last - first + 1 > MAX_SPAN)
    throw new PoseFormatError(
      `frame numbers run from ${first} to ${last}: too far apart for ${named.length} files`,
      [],
      where,
    );
  const missing: number[] = [];
  const source: SourceFrame[] = [];
  for (let f = first; f <= last; f++) {
    const frame = byFrame.get(f);
    if (frame) source.push(frame);
    else {
      missing.push(f);
      source.push({ people: [], path: [frameFileName(names[0]!, f)] });
    }
  }
  if (missing.length > 0)
    sink.add(
      'missing-frames',
      [],
      `${missing.length} frame file${missing.length === 1 ? ' is' : 's are'} missing (frame${missing.length === 1 ? '' : 's'} ${describeGaps(missing)}); left empty`,
    );
  // Gap frames have no canvas of their own: give them the canvas their neighbours carry, if any.
  const known = source.find((s) => s.canvas)?.canvas;
  if (known) for (const s of source) if (!s.canvas && s.people.length === 0) s.canvas = known;
  const frames = resolveFrames(source, options, sink);
  return { frames, warnings: sink.list, format: 'openpose-folder', firstFrame: first };
}
