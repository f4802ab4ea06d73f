/**
 * The real fixtures the puppet is checked on (../shared/fixtures beside the repository, as CI
 * clones it): AnimatedDrawings' drawings read through the product's importer, framed on a square
 * canvas, and the photos with their keypoints.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import sharp from 'sharp';
import { readAnimatedDrawingsCharacter } from '#main/project/animatedDrawingsCharacter';
import type { RigWarning } from '#shared/pose/animatedDrawings/rigToCoco';
import { type Framing, frameCharacter, framePose } from '#shared/pose/animatedDrawings/framing';
import { importPoses } from '#shared/pose/formats/index';

export const FIXTURES = resolve(import.meta.dirname, '../../..', '../shared/fixtures');
export const DRAWINGS = join(FIXTURES, 'drawings');

export interface Drawing {
  name: string;
  width: number;
  height: number;
  /** The texture with mask.png as its alpha (what AnimatedDrawings draws), RGBA. */
  rgba: Uint8Array;
  /** The rig's pose on COCO-18 in texture pixels. */
  reference: Float64Array;
  warnings: RigWarning[];
}

/** Every AnimatedDrawings character folder in `dir` (one with a char_cfg.yaml), sorted. */
export function drawingFolders(dir: string = DRAWINGS): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((f) => existsSync(join(f, 'char_cfg.yaml')))
    .sort();
}

/** A drawing by its name in the shared fixtures, or by its folder's absolute path. */
export async function loadDrawing(nameOrFolder: string): Promise<Drawing> {
  const folder = isAbsolute(nameOrFolder) ? nameOrFolder : join(DRAWINGS, nameOrFolder);
  const name = basename(folder);
  const c = await readAnimatedDrawingsCharacter(folder);
  const tex = await sharp(c.picturePath).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const mask = await sharp(c.maskPath).greyscale().raw().toBuffer();
  const rgba = new Uint8Array(tex.data);
  for (let i = 0; i < mask.length; i++) rgba[i * 4 + 3] = mask[i]! >= 128 ? 255 : 0;
  return {
    name,
    width: tex.info.width,
    height: tex.info.height,
    rgba,
    reference: new Float64Array(c.pose.people[0]!.points),
    warnings: c.warnings,
  };
}

/** The drawing framed on its square canvas (RGBA, canvas × canvas). */
export async function framedPicture(d: Drawing, f: Framing): Promise<Uint8Array> {
  const resized = await sharp(d.rgba, { raw: { width: d.width, height: d.height, channels: 4 } })
    .resize(f.width, f.height, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer();
  const out = new Uint8Array(f.canvas * f.canvas * 4);
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) {
      const u = x + f.left;
      const v = y + f.top;
      if (u < 0 || v < 0 || u >= f.canvas || v >= f.canvas) continue;
      out.set(
        resized.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4),
        (v * f.canvas + u) * 4,
      );
    }
  // The resize softens the cut-out's edge: keep it a clean cut (alpha ≥ 50% is character), as
  // the mask is binary in the texture's own pixels.
  for (let i = 3; i < out.length; i += 4) out[i] = out[i]! >= 128 ? 255 : 0;
  return out;
}

export async function writeRgba(
  path: string,
  rgba: Uint8Array,
  width: number,
  height: number,
): Promise<string> {
  await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toFile(path);
  return path;
}

export async function writeRgb(
  path: string,
  rgb: Uint8Array,
  width: number,
  height: number,
): Promise<void> {
  await writeFile(
    path,
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** A drawing's framing for a set of poses (texture pixels) and those poses on the canvas. */
export function frame(d: Drawing, poses: Float64Array[], canvas = 512) {
  const f = frameCharacter(d, [d.reference, ...poses], canvas);
  return {
    framing: f,
    reference: framePose(d.reference, f),
    poses: poses.map((p) => framePose(p, f)),
  };
}

export interface Photo {
  name: string;
  path: string;
  width: number;
  height: number;
  reference: Float64Array;
  /** Ground-truth outline polygons (COCO segmentation), where the fixture has them. */
  outline?: number[][];
}

function firstPerson(file: string, width: number, height: number): Float64Array {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return new Float64Array(
    importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
  );
}

/** The shared photos' names, as the docs and their sheets know them. */
const PHOTO_NAMES: Record<string, string> = {
  coco_val2017_000000000785: 'coco_785_skier',
  spin_im1010: 'spin_im1010',
};

interface CocoPerson {
  num_keypoints?: number;
  area?: number;
  segmentation?: unknown;
}

/**
 * Every photo in `dir` with a pose: a COCO keypoints file beside it (`<stem>_keypoints.json`, the
 * largest person with at least 10 keypoints, with their segmentation polygons as the outline) or an OpenPose file in `posesDir` (`<stem>_openpose.json`, its first person, no
 * outline). Sorted by name; photos with neither are skipped.
 */
export async function photos(
  dir: string = join(FIXTURES, 'photos'),
  posesDir: string = join(FIXTURES, 'poses'),
): Promise<Photo[]> {
  const out: Photo[] = [];
  for (const file of readdirSync(dir).sort()) {
    const stem = /^(.+)\.(jpe?g|png)$/i.exec(file)?.[1];
    if (!stem) continue;
    const path = join(dir, file);
    const meta = await sharp(path).metadata();
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    const name = PHOTO_NAMES[stem] ?? stem.replace(/^coco_val2017_0*/, 'coco_');
    const coco = join(dir, `${stem}_keypoints.json`);
    const openPose = join(posesDir, `${stem}_openpose.json`);
    if (existsSync(coco)) {
      const json = JSON.parse(readFileSync(coco, 'utf8')) as { annotations: CocoPerson[] };
      // The person a user would animate: the largest of those shown whole enough (10 of the 17
      // keypoints), not a sharp but tiny one in the background.
      const whole = json.annotations.filter((a) => (a.num_keypoints ?? 0) >= 10);
      const main = (whole.length ? whole : json.annotations)
        .slice()
        .sort(
          (a, b) =>
            (b.area ?? 0) - (a.area ?? 0) || (b.num_keypoints ?? 0) - (a.num_keypoints ?? 0),
        )[0];
      if (!main) continue;
      const reference = new Float64Array(
        importPoses({ ...json, annotations: [main] }, { pictureSize: { width, height } }).frames[0]!
          .people[0]!.points,
      );
      const outline = Array.isArray(main.segmentation)
        ? (main.segmentation as number[][])
        : undefined; // a crowd's run-length mask: no polygon to compare with
      out.push({ name, path, width, height, reference, ...(outline ? { outline } : {}) });
    } else if (existsSync(openPose))
      out.push({ name, path, width, height, reference: firstPerson(openPose, width, height) });
  }
  return out;
}
