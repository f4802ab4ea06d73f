/**
 * Character setup for the puppet generator: picture + reference pose → everything a frame needs,
 * computed once: mask, background plate, the premultiplied character layer (edge unmixed), the
 * mask's triangle mesh cut into parts with skinning weights, and the filled textures of the parts'
 * hidden areas. A frame then only moves the mesh and rasterizes it (src-shared/puppet/meshRaster).
 */
import { POINTS_LENGTH } from '#shared/pose/types';
import {
  CUT_OUT_PLATE,
  backgroundColour,
  backgroundIsTransparent,
} from '#shared/puppet/background';
import { fillBackground } from '#shared/puppet/backgroundFill';
import { BONES } from '#shared/puppet/bones';
import { unmixEdge } from '#shared/puppet/edgeDecontamination';
import { type MeshTexture, hiddenParts } from '#shared/puppet/hiddenParts';
import { type LayerOverrides, layerOrder } from '#shared/puppet/layerOrder';
import { type MaskSource, countSet, dilate } from '#shared/puppet/mask';
import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import { type SegmentationTiming, chooseCharacterMask } from '#main/engine/mask/characterMask';
import { meshJoints, slidingUnder } from '#shared/puppet/meshJoints';
import { partMap } from '#shared/puppet/partMap';
import { type PartLabels, partLabels } from '#shared/puppet/partLabels';
import { type PuppetMesh, buildPuppetMesh } from '#shared/puppet/puppetMesh';
import type { PuppetQuality, PuppetSampling } from '#shared/puppet/quality';
import { triangulatePicture } from '#shared/puppet/triangulateMask';
import type { SetupPhaseTime } from '#shared/puppet/setupPhases';
import { loadPicture, PictureError } from './loadPicture';
import { SetupTimer } from './setupTimer';

export interface PuppetSetupInput {
  picturePath: string;
  referencePose: Float64Array;
  maskPath?: string;
  /**
   * What shows where the character is not (the project's `generator.params.background`): 'plate'
   * (default: a photo's inpainted background; a cut-out's transparent background, white where a
   * format has no alpha), 'transparent' (the plate's pixels are transparent, any picture), or a
   * colour ('#rrggbb' or RGB 0–255) that replaces the plate.
   */
  background?: string | readonly [number, number, number];
  layers?: LayerOverrides;
  /** 'smooth' (default): bilinear sampling of the picture; 'fast': nearest (jagged edges). */
  quality?: PuppetQuality;
}

/** Picture size and the reference pose (in picture pixels after any downscale). */
export interface PuppetRig {
  readonly width: number;
  readonly height: number;
  readonly reference: Float64Array;
}

export interface PuppetCharacter {
  readonly rig: PuppetRig;
  /** How the textures are sampled inside the mesh (by quality). */
  readonly sampling: PuppetSampling;
  /** Texture 0: the character layer (premultiplied RGBA, edge unmixed); then the hidden areas' fills. */
  readonly textures: readonly MeshTexture[];
  readonly mesh: PuppetMesh;
  /** Picture pixels → frame pixels (1 unless an oversized picture was downscaled). */
  readonly scale: number;
  readonly maskSource: MaskSource;
  readonly maskPixels: number;
  /** The background plate as a frame (H×W×3 uint8): the base every rendered frame starts from. */
  readonly plate: Uint8Array;
  /** The plate's alpha (H×W, all 0) when frames have a transparent background; else undefined. */
  readonly plateAlpha?: Uint8Array;
  /** What the user should know about this character (rough mask, joints outside it, …). */
  readonly warnings: CharacterWarning[];
  /** Load and run time of the person-segmentation model, when the mask came from it. */
  readonly segmentation?: SegmentationTiming;
  readonly mask: Uint8Array;
  /** Which part each picture pixel belongs to (kept for tests and diagnostics). */
  readonly labels: PartLabels;
  /** Which part owns each picture pixel (bone index; NO_PART outside the mask): the layer map. */
  readonly parts: Uint8Array;
  /** Each bone's layer (higher = nearer), in bone order, and whether the user set it. */
  readonly layers: { layer: number; overridden: boolean }[];
  /** Where the setup's time went, phase by phase (wall and CPU ms). */
  readonly phases: SetupPhaseTime[];
}

/**
 * The picture as premultiplied RGBA (colour 0–255 × alpha, interleaved: one cache line per
 * sample) with its alpha plane. `binary`: alpha is `layer` (0/1); else the picture's own alpha
 * where `layer` is set. (Pixel loops live in small functions so V8 optimises them.)
 */
function premultiply(data: Uint8Array, layer: Uint8Array, binary: boolean) {
  const n = layer.length;
  const picture = new Float32Array(4 * n);
  const alphaPlane = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = binary ? layer[i]! : layer[i] ? data[i * 4 + 3]! / 255 : 0;
    // Outside the layer every value stays 0 (a zeroed array): most of a picture's pixels.
    if (a === 0) continue;
    picture[i * 4] = data[i * 4]! * a;
    picture[i * 4 + 1] = data[i * 4 + 1]! * a;
    picture[i * 4 + 2] = data[i * 4 + 2]! * a;
    picture[i * 4 + 3] = a;
    alphaPlane[i] = a;
  }
  return { picture, alphaPlane };
}

/** The picture as 0–1 RGB: what an opaque picture's plate is inpainted from. */
function unitRgb(data: Uint8Array, n: number): Float32Array {
  const rgb = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = data[i * 4]! / 255;
    rgb[i * 3 + 1] = data[i * 4 + 1]! / 255;
    rgb[i * 3 + 2] = data[i * 4 + 2]! / 255;
  }
  return rgb;
}

/** The alpha of premultiplied RGBA, as its own plane. */
function copyAlpha(rgba: Float32Array, alpha: Float32Array): void {
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
}

/** The pixels the mesh must cover: any with alpha, and (opaque pictures) the whole layer. */
function meshedPixels(alpha: Float32Array, layer: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i]! > 0 || (layer && layer[i]) ? 1 : 0;
  return out;
}

/** Known pixels this close to the character are not used to inpaint the plate (see fillBackground). */
export const PLATE_RING_PX = 2;

/** A transparent picture's plate, or a chosen colour's: one flat colour. */
function flatPlate(n: number, bg: readonly [number, number, number]): Uint8Array {
  const plate = new Uint8Array(3 * n);
  const [r, g, b] = bg;
  for (let i = 0; i < 3 * n; i += 3) {
    plate[i] = r;
    plate[i + 1] = g;
    plate[i + 2] = b;
  }
  return plate;
}

/**
 * An opaque picture's plate: the picture outside the character layer (so the reference pose gives
 * the picture back exactly), the background fill inside it (filled from beyond the layer's ring,
 * so no edge colours bleed in), rounded to whole levels.
 */
function filledPlate(
  rgb: Float32Array,
  layer: Uint8Array,
  W: number,
  H: number,
  others: Uint8Array | undefined,
): Uint8Array {
  const n = W * H;
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) known[i] = layer[i] ? 0 : 1;
  // Inpainted from 2 px beyond the layer: a mask a pixel or two off leaves the character's edge
  // colours there, which would otherwise be carried into the whole plate (a dark ghost outline).
  // Textured: a photo's snow or grass is copied into the hole, not smeared (a dark ski binding
  // at the rim became a boot-shaped blot with a smooth fill).
  // Nothing is copied from other people the segmentation model saw (`others`).
  const filled = fillBackground(rgb, known, W, H, {
    ignoreRing: PLATE_RING_PX,
    textured: true,
    ...(others ? { avoid: others } : {}),
  });
  const plate = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      const v = layer[i] ? filled[i * 3 + c]! : rgb[i * 3 + c]!;
      plate[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
  return plate;
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
  const timer = new SetupTimer();
  const warnings: CharacterWarning[] = [];
  const pic = await loadPicture(input.picturePath);
  // `data` is a plain Uint8Array view of sharp's Buffer (loadPicture): faster in pixel loops.
  const { width: W, height: H, data } = pic;
  if (pic.scale < 1)
    warnings.push({
      code: 'picture-downscaled',
      message: `the picture is ${pic.originalWidth}×${pic.originalHeight}; frames are rendered at ${W}×${H} (limit 4096 per side)`,
      fix: 'use a picture at most 4096 pixels on its long side for full detail',
    });
  timer.mark('picture');
  const ref = scalePose(input.referencePose, pic.scale);
  let body = 0;
  for (let i = 0; i < 18; i++) if (ref[i * 3 + 2]! > 0) body++;
  if (body < 2)
    throw new PictureError('reference pose has fewer than 2 body joints; cannot rig the character');

  // 1. Foreground mask: the user's, alpha, flood fill, the segmentation model, or the pose.
  const chosen = await chooseCharacterMask(pic, ref, {
    ...(input.maskPath ? { maskPath: input.maskPath } : {}),
  });
  const { mask, source: maskSource, transparent } = chosen;
  warnings.push(...chosen.warnings);
  const maskPixels = countSet(mask);
  if (maskPixels < Math.max(16, W * H * 0.001))
    throw new PictureError(
      `no visible character in ${input.picturePath} (mask from ${maskSource} has ${maskPixels} pixels)`,
    );

  timer.mark('mask');

  // 2. Premultiplied character layer and the background plate.
  const n = W * H;
  // Without a real alpha channel the mask is binary and misses the anti-aliased edge: the character
  // layer takes a 1 px ring around it, so edge pixels travel with the part instead of staying
  // behind as a ghost outline, and the plate is filled from beyond that ring.
  const layer = transparent && !input.maskPath ? mask : dilate(mask, W, H, 1);
  const near = transparent ? dilate(mask, W, H, 1) : layer;
  const { picture, alphaPlane } = premultiply(
    data,
    transparent && !input.maskPath ? near : layer,
    !(transparent && !input.maskPath),
  );
  const background = input.background ?? 'plate';
  const colour = typeof background === 'string' ? backgroundColour(background) : background;
  const plate = transparent
    ? flatPlate(n, colour ?? CUT_OUT_PLATE)
    : filledPlate(unitRgb(data, n), layer, W, H, chosen.others);
  if (!transparent) {
    // A binary mask's edge and the ring around it are part background: keep only their character
    // part (alpha < 1, colour unmixed from the plate) so moved parts carry no background halo.
    // The edge is unmixed from the inpainted plate (the picture's real background) whatever is
    // shown behind the character; a chosen colour replaces the plate afterwards.
    unmixEdge(picture, data, mask, layer, plate, W, H);
    copyAlpha(picture, alphaPlane);
    if (colour) plate.set(flatPlate(n, colour));
  }
  const plateAlpha = backgroundIsTransparent(
    typeof background === 'string' ? background : '#000000',
    transparent,
  )
    ? new Uint8Array(n)
    : undefined;
  timer.mark('plate');

  // 3. Mesh: the character's pixels (and a 1 px ring, so the anti-aliased outline is inside the
  // mesh) triangulated, cut into parts along geodesic labels, skinned; hidden areas filled.
  const domain = dilate(meshedPixels(alphaPlane, transparent ? undefined : layer), W, H, 1);
  const joints = meshJoints(ref);
  const seam = Math.max(4, 0.08 * joints.torso);
  const labels = partLabels(ref, domain, W, H, seam);
  const layers = layerOrder(ref, input.layers);
  timer.mark('parts');
  const triangulated = triangulatePicture(domain, W, H);
  timer.mark('mesh');
  const pictureTexture: MeshTexture = { x0: 0, y0: 0, width: W, height: H, rgba: picture };
  const { hidden, textures } = hiddenParts(
    triangulated,
    labels,
    layers,
    pictureTexture,
    fillBackground,
  );
  timer.mark('hidden');
  const mesh = buildPuppetMesh({
    mesh: triangulated,
    labels,
    joints: slidingUnder(joints, labels.underCover),
    seam,
    layers,
    hidden,
  });
  const parts = partMap(mask, labels, W, H);
  timer.mark('skin');

  return {
    rig: { width: W, height: H, reference: ref },
    sampling: input.quality === 'fast' ? 'nearest' : 'bilinear',
    textures: [pictureTexture, ...textures],
    mesh,
    scale: pic.scale,
    maskSource,
    maskPixels,
    plate,
    ...(plateAlpha ? { plateAlpha } : {}),
    warnings,
    ...(chosen.segmentation ? { segmentation: chosen.segmentation } : {}),
    mask,
    labels,
    parts,
    layers: BONES.map((b, k) => ({
      layer: layers[k]!,
      overridden: input.layers?.[b.name] !== undefined,
    })),
    phases: timer.phases,
  };
}
