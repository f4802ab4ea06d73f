/**
 * Pose files on disk: reads any supported pose file or OpenPose per-frame folder into PoseFrames,
 * writes ControlNet / ComfyUI / per-frame folder files, and draws conditioning PNGs. The parsing
 * and conversion are pure (src-shared/pose/formats); this file only does the I/O, and writes so
 * that a failure never leaves a half-written file or folder behind.
 */
import { readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { makePartialFolder } from '#main/media/outputTarget';
import sharp from 'sharp';
import {
  groupFrameFiles,
  importOpenPoseFrames,
  importPoses,
  PoseFormatError,
  toComfyUiPoseKeypoint,
  toControlNetPose,
  toOpenPoseFrameFiles,
  type CanvasSize,
  type ImportOptions,
  type ImportResult,
} from '#shared/pose/formats/index';
import { looksLikeBvh, notBvhError } from '#shared/pose/bvh/importBvh';
import { renderConditioning, type ConditioningOptions } from '#shared/pose/conditioning';
import { contactSheet } from '#shared/pose/contactSheet';
import type { RgbImage } from '#shared/image/rgbImage';
import type { PoseFrame } from '#shared/pose/types';
import { atomicWrite } from '#main/fs/atomicWrite';

/** A pose file or folder that cannot be read or written (missing, unreadable, wrong kind). */
export class PoseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoseFileError';
  }
}

export interface ReadPosesOptions extends Omit<ImportOptions, 'fileName' | 'pictureSize'> {
  /** Picture the pose belongs to: its size is the canvas of files that carry none. */
  picture?: string;
  /** Folders holding several sequences: which `{name}` to read. */
  sequence?: string;
}

export interface ReadPosesResult extends ImportResult {
  /** The path read, as given. */
  source: string;
  /** Files read (one for a file, every frame file for a folder). */
  files: number;
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return e instanceof Error ? e.message : String(e);
}

async function readJson(path: string, label: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PoseFileError(`${label}: ${ioReason(e)}`);
  }
  // BVH motion capture is text: the importer takes it as it is
  if (looksLikeBvh(text)) return text;
  if (extname(path).toLowerCase() === '.bvh') throw notBvhError(label);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (e) {
    throw new PoseFormatError(`not valid JSON (${(e as Error).message})`, [], label);
  }
}

/** Width × height of a picture as displayed (EXIF rotations of 90° swap the two). */
export async function pictureSize(path: string): Promise<CanvasSize> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) throw new Error('no size in the picture');
    const swap = (meta.orientation ?? 1) >= 5;
    return swap
      ? { width: meta.height, height: meta.width }
      : { width: meta.width, height: meta.height };
  } catch (e) {
    throw new PoseFileError(`${basename(path)}: cannot read the picture (${ioReason(e)})`);
  }
}

async function readFolder(
  dir: string,
  options: ReadPosesOptions,
  importOptions: ImportOptions,
): Promise<ReadPosesResult> {
  const names = await readdir(dir);
  const groups = groupFrameFiles(names);
  if (groups.size === 0)
    throw new PoseFileError(
      `${basename(dir)}: no {name}_{12-digit frame}_keypoints.json files in this folder`,
    );
  let sequence = options.sequence;
  if (sequence === undefined) {
    if (groups.size > 1)
      throw new PoseFileError(
        `${basename(dir)}: holds ${groups.size} sequences (${[...groups.keys()].sort().join(', ')}); choose one`,
      );
    sequence = [...groups.keys()][0]!;
  }
  const frames = groups.get(sequence);
  if (!frames) throw new PoseFileError(`${basename(dir)}: no sequence named "${sequence}"`);
  const files = await Promise.all(
    frames.map(async (f) => {
      const fileName = `${f.name}_${String(f.frame).padStart(12, '0')}_keypoints.json`;
      return { fileName, json: await readJson(join(dir, fileName), fileName) };
    }),
  );
  const result = importOpenPoseFrames(files, { ...importOptions, fileName: basename(dir) });
  return { ...result, source: dir, files: files.length };
}

/** Reads a pose file (any supported dialect, BVH included) or an OpenPose per-frame folder. */
export async function readPoses(
  path: string,
  options: ReadPosesOptions = {},
): Promise<ReadPosesResult> {
  const { picture, sequence: _sequence, ...rest } = options;
  const importOptions: ImportOptions = { ...rest };
  if (picture) importOptions.pictureSize = await pictureSize(picture);
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new PoseFileError(`${path}: ${ioReason(e)}`);
  }
  if (info.isDirectory()) return readFolder(path, options, importOptions);
  const name = basename(path);
  const json = await readJson(path, name);
  return { ...importPoses(json, { ...importOptions, fileName: name }), source: path, files: 1 };
}

export type PoseOutputFormat = 'controlnet' | 'openpose-folder' | 'comfyui';
export const POSE_OUTPUT_FORMATS: readonly PoseOutputFormat[] = [
  'controlnet',
  'openpose-folder',
  'comfyui',
];

/**
 * The format to write when none is named: a path without `.json` is a per-frame folder; a `.json`
 * file holds one ControlNet pose, or a ComfyUI POSE_KEYPOINT list when there are several frames.
 */
export function outputFormatFor(outPath: string, frameCount: number): PoseOutputFormat {
  if (extname(outPath).toLowerCase() !== '.json') return 'openpose-folder';
  return frameCount > 1 ? 'comfyui' : 'controlnet';
}

async function isMissingOrEmptyFolder(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) throw new PoseFileError(`${path}: exists and is not a folder`);
    return (await readdir(path)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/**
 * Writes a per-frame folder: the files go to a temporary sibling folder that is renamed into
 * place at the end, so the target is either complete or absent. An existing target must be empty.
 */
async function writeFolder(outDir: string, frames: readonly PoseFrame[], firstFrame: number) {
  const target = resolve(outDir);
  if (!(await isMissingOrEmptyFolder(target)))
    throw new PoseFileError(`${outDir}: folder is not empty; choose an empty or new folder`);
  const name = basename(target);
  const files = toOpenPoseFrameFiles(frames, name, firstFrame);
  const tmp = await makePartialFolder(target); // short name: fits beside a 255-byte target
  try {
    for (const f of files) await writeFile(join(tmp, f.fileName), JSON.stringify(f.pose));
    await rmdir(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return files.map((f) => join(outDir, f.fileName));
}

/** Writes frames in `format`; returns the files written. */
export async function writePoses(
  outPath: string,
  frames: readonly PoseFrame[],
  format: PoseOutputFormat,
  options: { firstFrame?: number } = {},
): Promise<string[]> {
  if (frames.length === 0) throw new PoseFileError('nothing to write: no frames');
  try {
    if (format === 'openpose-folder')
      return await writeFolder(outPath, frames, options.firstFrame ?? 0);
    if (format === 'controlnet') {
      if (frames.length !== 1)
        throw new PoseFileError(
          `a ControlNet pose file holds one frame, got ${frames.length}: pick one (--frame) or write comfyui / a folder`,
        );
      await atomicWrite(outPath, `${JSON.stringify(toControlNetPose(frames[0]!))}\n`);
    } else {
      await atomicWrite(outPath, `${JSON.stringify(toComfyUiPoseKeypoint(frames))}\n`);
    }
    return [outPath];
  } catch (e) {
    if (e instanceof PoseFileError) throw e;
    throw new PoseFileError(`${outPath}: cannot write (${ioReason(e)})`);
  }
}

/** Encodes an RGB image as PNG (shrunk to `maxWidth` when wider) and writes it atomically. */
async function writeRgbPng(outPath: string, image: RgbImage, maxWidth = Infinity): Promise<void> {
  let pipeline = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  });
  if (image.width > maxWidth) pipeline = pipeline.resize({ width: maxWidth });
  const png = await pipeline.png().toBuffer();
  try {
    await atomicWrite(outPath, png);
  } catch (e) {
    throw new PoseFileError(`${outPath}: cannot write (${ioReason(e)})`);
  }
}

/** Draws the ControlNet conditioning image of `frame` and saves it as an RGB PNG. */
export async function writeConditioningPng(
  outPath: string,
  frame: PoseFrame,
  options: ConditioningOptions = {},
): Promise<void> {
  await writeRgbPng(outPath, renderConditioning(frame, options));
}

/** Sheets wider than this are scaled down (a 30-tile sheet of 1080p canvases would be 11,000 px). */
const MAX_SHEET_WIDTH = 4096;

/** Draws every `every`-th frame into one PNG contact sheet; returns the frames drawn. */
export async function writeContactSheetPng(
  outPath: string,
  frames: readonly PoseFrame[],
  every: number,
  options: ConditioningOptions = {},
): Promise<number[]> {
  let sheet;
  try {
    sheet = contactSheet(frames, every, options);
  } catch (e) {
    throw new PoseFileError(`${outPath}: ${(e as Error).message}`);
  }
  await writeRgbPng(outPath, sheet.image, MAX_SHEET_WIDTH);
  return sheet.frames;
}
