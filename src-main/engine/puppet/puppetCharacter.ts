/**
 * Character setup for the puppet generator: picture + reference pose → everything the warp graph
 * needs, computed once (mask, background plate, per-bone weights, layer order) and kept as
 * ready-made ORT tensors so a frame only feeds its bone maps.
 */
import * as ort from 'onnxruntime-node';
import { POINTS_LENGTH } from '#shared/pose/types';
import { fillBackground } from '#shared/puppet/backgroundFill';
import { BONE_COUNT } from '#shared/puppet/bones';
import { coarseGridFor, coarseMask } from '#shared/puppet/coarseGrid';
import { unmixEdge } from '#shared/puppet/edgeDecontamination';
import type { PuppetRig } from '#shared/puppet/frameInputs';
import { type LayerOverrides, layerOrder } from '#shared/puppet/layerOrder';
import {
  type MaskSource,
  countSet,
  dilate,
  hasTransparency,
  keepCharacterComponents,
  maskFromAlpha,
  maskFromPose,
  maskFromUniformBackground,
} from '#shared/puppet/mask';
import { partWeights } from '#shared/puppet/partWeights';
import type { PuppetQuality } from '#shared/puppet/quality';
import { pixelOwners } from '#shared/puppet/pixelOwners';
import { SILHOUETTE_STEP, silhouetteSeeds } from '#shared/puppet/silhouetteSeeds';
import type { PuppetPicture, PuppetSampling } from '#shared/puppet/compositor';
import { loadMask, loadPicture, PictureError } from './loadPicture';

/** How strongly a nearer layer wins an overlap: gain e^(β·Δlayer); half a layer → e^10. */
export const LAYER_BETA = 20;

export interface PuppetSetupInput {
  picturePath: string;
  referencePose: Float64Array;
  maskPath?: string;
  /** Plate colour behind a transparent picture (RGB 0–255); default white. */
  background?: readonly [number, number, number];
  layers?: LayerOverrides;
  /** 'smooth' (default): bilinear sampling of the picture; 'fast': nearest (jagged edges). */
  quality?: PuppetQuality;
}

/** The warp graph every character renders with (both qualities: they differ in sampling only). */
export const PUPPET_MODEL_ID = 'puppet-warp';

export interface PuppetCharacter {
  readonly rig: PuppetRig;
  /** The warp model this character renders with. */
  readonly modelId: string;
  /** How the picture is sampled at the warp's per-pixel sources (by quality). */
  readonly sampling: PuppetSampling;
  /** The character picture, interleaved premultiplied RGBA, for the compositor. */
  readonly picture: PuppetPicture;
  /** Picture pixels → frame pixels (1 unless an oversized picture was downscaled). */
  readonly scale: number;
  readonly maskSource: MaskSource;
  readonly maskPixels: number;
  /** The background plate as a frame (H×W×3 uint8): the base every rendered frame starts from. */
  readonly plate: Uint8Array;
  readonly tensors: {
    weights: ort.Tensor;
    layerBias: ort.Tensor;
    pictureToWeight: ort.Tensor;
    tileWeights: ort.Tensor;
    /** The picture's alpha plane (the graph samples it for seam pixels). */
    pictureAlpha: ort.Tensor;
  };
  readonly warnings: string[];
  /** Source weights, kept for tests and diagnostics ([K, h, w]). */
  readonly weights: Float32Array;
  readonly mask: Uint8Array;
}

/** Normalized picture coords → normalized weight-grid coords, per axis: [sx, sy, ox, oy]. */
function pictureToWeight(W: number, H: number, grid: { w: number; h: number; stride: number }) {
  const sx = (2 / ((grid.w - 1) * grid.stride || 1)) * ((W - 1) / 2);
  const sy = (2 / ((grid.h - 1) * grid.stride || 1)) * ((H - 1) / 2);
  return new Float32Array([sx, sy, sx - 1, sy - 1]);
}

/** Bilinear weights of a cell's corners (00, 01 = right, 10 = below, 11) for each of its pixels. */
export function tileWeights(stride: number): Float32Array {
  const n = stride * stride;
  const w = new Float32Array(4 * n);
  for (let v = 0; v < stride; v++)
    for (let u = 0; u < stride; u++) {
      const fx = u / stride;
      const fy = v / stride;
      const t = v * stride + u;
      w[t] = (1 - fx) * (1 - fy);
      w[n + t] = fx * (1 - fy);
      w[2 * n + t] = (1 - fx) * fy;
      w[3 * n + t] = fx * fy;
    }
  return w;
}

export function scalePose(pose: Float64Array, scale: number): Float64Array {
  if (scale === 1) return pose;
  const out = new Float64Array(pose);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = out[i]! * scale;
    out[i + 1] = out[i + 1]! * scale;
  }
  return out;
}

export function checkPose(pose: Float64Array, what: string): void {
  if (pose.length !== POINTS_LENGTH)
    throw new PictureError(
      `${what} must have ${POINTS_LENGTH} numbers (136 points × 3), got ${pose.length}`,
    );
  for (let i = 0; i < pose.length; i++)
    if (!Number.isFinite(pose[i]!))
      throw new PictureError(`${what} has a non-finite number at ${i}`);
}

export async function setupPuppetCharacter(input: PuppetSetupInput): Promise<PuppetCharacter> {
  checkPose(input.referencePose, 'reference pose');
  const warnings: string[] = [];
  const pic = await loadPicture(input.picturePath);
  const { width: W, height: H, data } = pic;
  if (pic.scale < 1)
    warnings.push(
      `picture is ${pic.originalWidth}×${pic.originalHeight}; frames are rendered at ${W}×${H} (limit 4096 per side)`,
    );
  const ref = scalePose(input.referencePose, pic.scale);
  let body = 0;
  for (let i = 0; i < 18; i++) if (ref[i * 3 + 2]! > 0) body++;
  if (body < 2)
    throw new PictureError('reference pose has fewer than 2 body joints; cannot rig the character');

  // 1. Foreground mask.
  const transparent = hasTransparency(pic);
  let maskSource: MaskSource;
  let mask: Uint8Array;
  if (input.maskPath) {
    mask = await loadMask(input.maskPath, W, H);
    maskSource = 'user';
  } else if (transparent) {
    mask = maskFromAlpha(pic);
    maskSource = 'alpha';
  } else {
    const flood = maskFromUniformBackground(pic);
    if (flood) {
      mask = flood;
      maskSource = 'flood-fill';
    } else {
      mask = maskFromPose(W, H, ref);
      maskSource = 'pose';
      warnings.push(
        'background is not uniform and the picture has no alpha: the mask follows the pose (rough); pass a mask for clean edges',
      );
    }
  }
  mask = keepCharacterComponents(mask, W, H, ref);
  const maskPixels = countSet(mask);
  if (maskPixels < Math.max(16, W * H * 0.001))
    throw new PictureError(
      `no visible character in ${input.picturePath} (mask from ${maskSource} has ${maskPixels} pixels)`,
    );
  if (maskPixels > W * H * 0.97)
    warnings.push(
      'the character fills the whole picture: no background is visible to fill behind it',
    );

  // 2. Premultiplied character layer and the background plate.
  const n = W * H;
  // Premultiplied RGBA, interleaved (one cache line per sample), and the alpha plane for the graph.
  const picture = new Float32Array(4 * n);
  const alphaPlane = new Float32Array(n);
  // Without a real alpha channel the mask is binary and misses the anti-aliased edge: the character
  // layer takes a 1 px ring around it, so edge pixels travel with the part instead of staying
  // behind as a ghost outline, and the plate is filled from beyond that ring.
  const layer = transparent && !input.maskPath ? mask : dilate(mask, W, H, 1);
  const near = transparent ? dilate(mask, W, H, 1) : layer;
  const rgb = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = transparent && !input.maskPath ? (near[i] ? data[i * 4 + 3]! / 255 : 0) : layer[i]!;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * 4 + c]! / 255;
    for (let c = 0; c < 3; c++) picture[i * 4 + c] = data[i * 4 + c]! * a;
    picture[i * 4 + 3] = a;
    alphaPlane[i] = a;
  }
  const plate = new Uint8Array(3 * n);
  if (transparent) {
    const bg = input.background ?? [255, 255, 255];
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 3; c++) {
        plate[i * 3 + c] = bg[c]!;
      }
  } else {
    const known = new Uint8Array(n);
    for (let i = 0; i < n; i++) known[i] = layer[i] ? 0 : 1;
    const filled = fillBackground(rgb, known, W, H);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 3; c++) {
        // The fill comes from beyond that ring (no edge colours bleed in); outside the layer the
        // plate is the picture itself, so the reference pose gives the picture back exactly.
        const v = layer[i] ? filled[i * 3 + c]! : rgb[i * 3 + c]!;
        // Rounded to whole levels so the plate tensor and the plate frame agree exactly.
        const level = Math.max(0, Math.min(255, Math.round(v * 255)));
        plate[i * 3 + c] = level;
      }
    // A binary mask's edge and the ring around it are part background: keep only their character
    // part (alpha < 1, colour unmixed from the plate) so moved parts carry no background halo.
    unmixEdge(picture, data, mask, layer, plate, W, H);
    for (let i = 0; i < n; i++) alphaPlane[i] = picture[i * 4 + 3]!;
  }

  // 3. Rig: coarse grid, per-bone weights, layer order.
  const grid = coarseGridFor(W, H);
  const cmask = coarseMask(layer, W, H, grid);
  // Parts whose cross-section ends at background (the shirt below the armpit, the arm beside it)
  // own all of it, whatever the distances to the bones' axes say.
  const extra = silhouetteSeeds(ref, layer, W, H);
  // The coarse grid needs a walk every ~¾ cell, not every 2 px (pixelOwners takes them all).
  const every = Math.max(1, Math.floor((0.75 * grid.stride) / SILHOUETTE_STEP));
  const coarseExtra = extra.map((segments) => segments.filter((_, i) => i % every === 0));
  const { weights, boxes } = partWeights(ref, cmask, grid, 0, coarseExtra);
  const layers = layerOrder(ref, input.layers);
  // Which parts own each picture pixel at full resolution (the coarse weights blend across gaps
  // narrower than a cell): the compositor draws a part only from its own pixels.
  // An opaque picture's whole layer, unmixed edge included: ring pixels the unmixing made fully
  // transparent still own their place, so the compositor's fast path (all four taps owned) holds
  // along the silhouette as it did before (they add no colour either way).
  const opaque = new Uint8Array(n);
  for (let i = 0; i < n; i++) opaque[i] = alphaPlane[i]! > 0 || (!transparent && layer[i]) ? 1 : 0;
  const owners = pixelOwners(ref, opaque, W, H, grid, extra);
  const bias = new Float32Array(layers.map((l) => l * LAYER_BETA));

  return {
    rig: { width: W, height: H, grid, reference: ref, boxes },
    modelId: PUPPET_MODEL_ID,
    sampling: input.quality === 'fast' ? 'nearest' : 'bilinear',
    picture: { width: W, height: H, rgba: picture, owners },
    scale: pic.scale,
    maskSource,
    maskPixels,
    plate,
    warnings,
    weights,
    mask,
    tensors: {
      weights: new ort.Tensor('float32', weights, [BONE_COUNT, 1, grid.h, grid.w]),
      layerBias: new ort.Tensor('float32', bias, [BONE_COUNT, 1, 1]),
      pictureToWeight: new ort.Tensor('float32', pictureToWeight(W, H, grid), [2, 2, 1]),
      tileWeights: new ort.Tensor('float32', tileWeights(grid.stride), [4, grid.stride ** 2]),
      pictureAlpha: new ort.Tensor('float32', alphaPlane, [1, 1, H, W]),
    },
  };
}
