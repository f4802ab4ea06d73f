/**
 * The photos with ground-truth masks the mask bench and the integration tests measure: the COCO
 * skier (its COCO segmentation polygon, rasterized) and the SPIN baseball player (a hand-checked
 * mask committed under test/fixtures/masks/, see its README for how it was made).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { importPoses } from '#shared/pose/formats/index';
import { readAnimatedDrawingsCharacter } from '#main/project/animatedDrawingsCharacter';
import type { MaskSource } from '#shared/puppet/mask';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REAL = resolve(ROOT, '../shared/fixtures');

export interface PhotoCase {
  name: string;
  photo: string;
  /** A pose file, or an AnimatedDrawings character's char_cfg.yaml (its rig, in picture pixels). */
  pose: string;
  /** The ground-truth mask, width × height, 1 = person. */
  truth(width: number, height: number): Promise<Uint8Array>;
  /** The IoU the engine's chosen mask must reach. */
  target: number;
  /** Where the chosen mask must come from (default: `segmentation` for a JPEG, else `flood-fill`). */
  source?: MaskSource;
}

export function firstPerson(file: string, width: number, height: number): Float64Array {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return new Float64Array(
    importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
  );
}

/** The case's reference pose in the picture's pixels (width × height as loaded). */
export async function caseReference(
  c: PhotoCase,
  width: number,
  height: number,
): Promise<Float64Array> {
  if (basename(c.pose) !== 'char_cfg.yaml') return firstPerson(c.pose, width, height);
  const character = await readAnimatedDrawingsCharacter(dirname(c.pose));
  return new Float64Array(character.pose.people[0]!.points);
}

/** A COCO polygon list rasterized (SVG through sharp: even-odd rule off, anti-aliasing off). */
async function polygonMask(polygons: number[][], width: number, height: number) {
  const paths = polygons
    .map((p) => {
      const pts: string[] = [];
      for (let i = 0; i + 1 < p.length; i += 2) pts.push(`${p[i]},${p[i + 1]}`);
      return `<polygon points="${pts.join(' ')}" fill="#fff" shape-rendering="crispEdges"/>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000"/>${paths}</svg>`;
  const raw = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
  return Uint8Array.from(raw, (v) => (v >= 128 ? 1 : 0));
}

async function pngMask(path: string, width: number, height: number) {
  const raw = await sharp(path).greyscale().resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return Uint8Array.from(raw, (v) => (v >= 128 ? 1 : 0));
}

export const PHOTO_CASES: PhotoCase[] = [
  {
    name: 'COCO skier 640×425 (COCO polygon)',
    photo: resolve(REAL, 'photos/coco_val2017_000000000785.jpg'),
    pose: resolve(REAL, 'photos/coco_val2017_000000000785_keypoints.json'),
    truth: (w, h) => {
      const json = JSON.parse(
        readFileSync(resolve(REAL, 'photos/coco_val2017_000000000785_keypoints.json'), 'utf8'),
      ) as { annotations: { segmentation: number[][] }[] };
      return polygonMask(json.annotations[0]!.segmentation, w, h);
    },
    target: 0.85,
  },
  {
    name: 'SPIN baseball player 153×192 (hand-checked mask)',
    photo: resolve(REAL, 'photos/spin_im1010.jpg'),
    pose: resolve(REAL, 'poses/spin_im1010_openpose.json'),
    truth: (w, h) => pngMask(resolve(ROOT, 'test/fixtures/masks/spin_im1010_mask.png'), w, h),
    target: 0.85,
  },
];

/**
 * Drawings photographed on paper and cropped, given without a mask (truth: AnimatedDrawings'
 * mask.png): the flood fill must find them, through the gaps of a crayon or pencil outline
 * (char5, char6), and the photo path must not spoil it (char4).
 */
export const DRAWING_CASES: PhotoCase[] = [
  {
    name: 'AnimatedDrawings char4 216×475 (its mask.png)',
    photo: resolve(REAL, 'drawings/char4/texture.png'),
    pose: resolve(REAL, 'drawings/char4/rest_pose.json'),
    truth: (w, h) => pngMask(resolve(REAL, 'drawings/char4/mask.png'), w, h),
    // AnimatedDrawings' mask is a few pixels wider than the strokes; the flood fill keeps to them.
    target: 0.8,
  },
  {
    name: 'AnimatedDrawings char5 257×279 (its mask.png)',
    photo: resolve(REAL, 'drawings/char5/texture.png'),
    pose: resolve(REAL, 'drawings/char5/char_cfg.yaml'),
    truth: (w, h) => pngMask(resolve(REAL, 'drawings/char5/mask.png'), w, h),
    // A plain flood fill: 0.08 (it ran through the outline's gaps).
    target: 0.85,
  },
  {
    name: 'AnimatedDrawings char6 564×352 (its mask.png)',
    photo: resolve(REAL, 'drawings/char6/texture.png'),
    pose: resolve(REAL, 'drawings/char6/char_cfg.yaml'),
    truth: (w, h) => pngMask(resolve(REAL, 'drawings/char6/mask.png'), w, h),
    // A plain flood fill: 0.37 (it filled the body through the gap at the tail).
    target: 0.9,
  },
  {
    name: 'AnimatedDrawings char4 photo 750×1000 (mask.png)',
    photo: resolve(ROOT, 'test/fixtures/masks/ad_char4_photo.jpg'),
    pose: resolve(ROOT, 'test/fixtures/masks/ad_char4_pose.json'),
    truth: (w, h) => pngMask(resolve(ROOT, 'test/fixtures/masks/ad_char4_mask.png'), w, h),
    // The whole phone photo: other drawings beside it, fingers and cloth at the edges.
    target: 0.8,
    source: 'drawing',
  },
  {
    name: 'AnimatedDrawings char5 photo 1000×750 (mask.png)',
    photo: resolve(ROOT, 'test/fixtures/masks/ad_char5_photo.jpg'),
    pose: resolve(ROOT, 'test/fixtures/masks/ad_char5_pose.json'),
    truth: (w, h) => pngMask(resolve(ROOT, 'test/fixtures/masks/ad_char5_mask.png'), w, h),
    target: 0.85,
    source: 'drawing',
  },
];
