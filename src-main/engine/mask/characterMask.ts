/**
 * Chooses the character's mask, best source first: the user's mask; the picture's alpha; a flood
 * fill of a flat background (scans and drawings on paper); the person-segmentation model (photos);
 * the lines of a drawing photographed on paper, where they do better than the model or a flood fill
 * that found the sheet (`drawingRefines`); and only when all of these fail, capsules around the
 * pose's bones, with a warning. Whatever the source, only the pieces touching the pose's joints are
 * kept, and the warnings say what the user should fix (joints outside the mask, a tiny character).
 */
import {
  type CharacterWarning,
  jointsOutsideMask,
  missingJointsWarning,
  sizeWarnings,
} from '#shared/puppet/characterWarnings';
import {
  type MaskSource,
  countSet,
  dilate,
  hasTransparency,
  keepCharacterComponents,
  maskFromAlpha,
  maskFromPose,
  type Rgba,
} from '#shared/puppet/mask';
import { maskFromUniformBackground } from '#shared/puppet/flatBackground';
import { completeFeet } from '#shared/puppet/footCompletion';
import { maskFromDrawnInk } from '#shared/puppet/drawnInk';
import { refineSoftMask } from '#shared/puppet/maskRefine';
import {
  averageWithMirror,
  cropToPicture,
  mirrorCrop,
  personCrop,
  sampleCrop,
} from '#shared/puppet/personCrop';
import { type PersonSegmenter, personSegmenter } from './personSegmenter';
import { loadUserMask } from './userMask';

export interface MaskOptions {
  /** The user's mask file (absolute path). */
  maskPath?: string;
  /** The segmenter to use (tests and the bench pass one); default: the product's model. */
  segmenter?: () => Promise<PersonSegmenter>;
  /** Skip the segmentation model (the bench measures the fallbacks). */
  segmentation?: boolean;
}

/** Load and run time of the segmentation model, reported apart from the rest of the setup. */
export interface SegmentationTiming {
  model: string;
  loadMs: number;
  runMs: number;
}

export interface CharacterMask {
  mask: Uint8Array;
  source: MaskSource;
  /** The picture has real transparency (its alpha is the character's edge). */
  transparent: boolean;
  warnings: CharacterWarning[];
  segmentation?: SegmentationTiming;
  /**
   * Where the segmentation model saw people other than this one (1, grown by 2 px): the background
   * plate copies nothing from there, so no piece of another person turns up where this one was.
   */
  others?: Uint8Array;
}

/**
 * The model mask from the reference pose's crop, in picture pixels (before keeping components),
 * with any foot the model stopped short of completed from the pose's ankles.
 */
export async function segmentPerson(
  pic: Rgba,
  ref: Float64Array,
  segmenter: PersonSegmenter,
): Promise<{ mask: Uint8Array; people: Uint8Array; runMs: number }> {
  const { width: W, height: H, data } = pic;
  const crop = personCrop(ref, W, H);
  const t0 = performance.now();
  const S = segmenter.size;
  const input = sampleCrop(data, W, H, crop, S);
  const soft = averageWithMirror(
    await segmenter.segment(input),
    await segmenter.segment(mirrorCrop(input, S, 3)),
    S,
  );
  const inPicture = cropToPicture(soft, S, crop, W, H);
  // Two model pixels in picture pixels: the blur the upsampling left at the edge.
  const r = Math.max(2, Math.round((2 * crop.size) / S));
  const refined = refineSoftMask(inPicture, data, W, H, r);
  const { mask } = completeFeet(refined, data, W, H, ref);
  // Another person beside or behind this one is in the model's mask too (it segments people, not
  // a person): pixels farther from every bone than a bone's length are not this person's. On the
  // crowded COCO photo of mmpose's tests this took three skiers' IoU 0.748 / 0.745 / 0.478 to
  // 0.782 / 0.767 / 0.513 and moved no one else by more than 0.002.
  const reach = maskFromPose(W, H, ref, PERSON_REACH);
  const people = new Uint8Array(mask);
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! & reach[i]!;
  return { mask, people, runMs: performance.now() - t0 };
}

/** How far (× the pose's mean bone length) from its bones a person's pixels reach. */
export const PERSON_REACH = 1;

/** Camera formats: a flat-looking background in one of these may be snow or sky, not paper. */
const PHOTO_FORMATS = new Set(['jpeg', 'heif', 'avif']);
/** The model's person lies inside the flood fill's character this much … */
const INSIDE_FLOOD = 0.95;
/** … and leaves out at least this much of it (poles, skis, snow patches): the model wins. */
const FLOOD_EXCESS = 0.1;

/**
 * Whether the model's person refines the flood fill's character: almost all inside it, a real
 * part of it left out, and no more joints outside than the flood fill has. On a drawing the
 * model's guess spills onto the paper (about half outside on AnimatedDrawings' char4), so the
 * flood fill stays.
 */
export function segmentationRefinesFlood(
  flood: Uint8Array,
  person: Uint8Array,
  width: number,
  height: number,
  ref: Float64Array,
): boolean {
  let inter = 0;
  let inPerson = 0;
  let inFlood = 0;
  for (let i = 0; i < flood.length; i++) {
    inter += flood[i]! & person[i]!;
    inPerson += person[i]!;
    inFlood += flood[i]!;
  }
  if (inPerson === 0 || inFlood === 0) return false;
  return (
    inter / inPerson >= INSIDE_FLOOD &&
    inter / inFlood <= 1 - FLOOD_EXCESS &&
    jointsOutsideMask(person, width, height, ref).length <=
      jointsOutsideMask(flood, width, height, ref).length
  );
}

/**
 * The flood fill of a flat background (`maskFromUniformBackground`), its outline's gaps closed only
 * when the plain fill lost a joint of the pose: one that holds them all did not leak.
 */
export function floodFill(pic: Rgba, ref: Float64Array): Uint8Array | undefined {
  const { width: W, height: H } = pic;
  return maskFromUniformBackground(
    pic,
    undefined,
    undefined,
    (plain) => jointsOutsideMask(keepCharacterComponents(plain, W, H, ref), W, H, ref).length > 0,
  );
}

/** The drawn lines' character covers at most this share of a flood fill it lies in: the sheet. */
const SHEET_SHARE = 0.6;

/**
 * Whether the mask of the drawn lines (`maskFromDrawnInk`) beats the one chosen so far: it holds
 * more of the pose's joints (the model's blob on a drawing, or nothing chosen yet), or the chosen
 * one is a flood fill that found the sheet of paper on a plain table: the drawing lies inside it
 * (`INSIDE_FLOOD` of it), covering at most `SHEET_SHARE` of it, with every joint the sheet holds.
 */
export function drawingRefines(
  chosen: Uint8Array | undefined,
  source: MaskSource,
  drawn: Uint8Array,
  width: number,
  height: number,
  ref: Float64Array,
): boolean {
  const kept = keepCharacterComponents(drawn, width, height, ref);
  const drawnPixels = countSet(kept);
  if (drawnPixels === 0) return false;
  if (!chosen) return true;
  const current = keepCharacterComponents(chosen, width, height, ref);
  const outside = jointsOutsideMask(kept, width, height, ref).length;
  const before = jointsOutsideMask(current, width, height, ref).length;
  if (outside < before) return true;
  if (source !== 'flood-fill' || outside > before) return false;
  let inside = 0;
  for (let i = 0; i < kept.length; i++) inside += kept[i]! & current[i]!;
  return inside >= INSIDE_FLOOD * drawnPixels && drawnPixels <= SHEET_SHARE * countSet(current);
}

export async function chooseCharacterMask(
  pic: Rgba & { format?: string },
  ref: Float64Array,
  options: MaskOptions = {},
): Promise<CharacterMask> {
  const { width: W, height: H } = pic;
  const warnings: CharacterWarning[] = [];
  const transparent = hasTransparency(pic);
  let source: MaskSource = 'pose';
  let mask: Uint8Array | undefined;
  let segmentation: SegmentationTiming | undefined;
  let people: Uint8Array | undefined;
  if (options.maskPath) {
    const user = await loadUserMask(options.maskPath, W, H);
    mask = user.mask;
    warnings.push(...user.warnings);
    source = 'user';
  } else if (transparent) {
    mask = maskFromAlpha(pic);
    source = 'alpha';
  } else {
    const flood = floodFill(pic, ref);
    if (flood) {
      mask = flood;
      source = 'flood-fill';
    }
    // A photo always asks the model; a flat-background photo (snow, sky, a wall) keeps the model's
    // person only where it refines the flood fill. Drawings and scans saved losslessly skip it.
    const photo = PHOTO_FORMATS.has(pic.format ?? '');
    if ((!flood || photo) && options.segmentation !== false) {
      try {
        const segmenter = await (options.segmenter ?? personSegmenter)();
        const found = await segmentPerson(pic, ref, segmenter);
        segmentation = { model: segmenter.model, loadMs: segmenter.loadMs, runMs: found.runMs };
        people = found.people;
        const person = keepCharacterComponents(found.mask, W, H, ref);
        const useful = flood
          ? segmentationRefinesFlood(keepCharacterComponents(flood, W, H, ref), person, W, H, ref)
          : countSet(person) > 0;
        if (useful) {
          mask = found.mask;
          source = 'segmentation';
        }
      } catch (e) {
        warnings.push({
          code: 'segmentation-failed',
          message: `the person-segmentation model could not run (${(e as Error).message.split('\n')[0]})`,
          fix: 'give the character a mask (white = character), or reinstall Pose Studio',
        });
      }
    }
    // A drawing photographed on paper: the model finds a blob or nobody on it, and a flood fill of a
    // plain table around the sheet finds the sheet. The drawn lines win where they do better.
    if (!flood || photo) {
      const drawn = maskFromDrawnInk(pic, ref);
      if (drawn && drawingRefines(mask, source, drawn, W, H, ref)) {
        mask = drawn;
        source = 'drawing';
      }
    }
    if (!mask) {
      mask = maskFromPose(W, H, ref);
      source = 'pose';
      warnings.push({
        code: 'rough-mask',
        message:
          'no mask was found for this picture (no transparency, no flat background, no person found): the character’s outline follows the skeleton roughly',
        fix: 'import or paint a mask (white = character), or use a picture with a transparent or plain background',
      });
    }
  }
  mask = keepCharacterComponents(mask, W, H, ref);
  const pixels = countSet(mask);
  warnings.push(...missingJointsWarning(jointsOutsideMask(mask, W, H, ref)));
  warnings.push(...sizeWarnings(pixels, W, H));
  const others = people && otherPeople(people, mask, W, H);
  return {
    mask,
    source,
    transparent,
    warnings,
    ...(segmentation ? { segmentation } : {}),
    ...(others ? { others } : {}),
  };
}

/** The model's people outside the chosen mask, grown by 2 px (their soft edges); undefined: none. */
function otherPeople(
  people: Uint8Array,
  mask: Uint8Array,
  width: number,
  height: number,
): Uint8Array | undefined {
  const grown = dilate(people, width, height, 2);
  let any = false;
  for (let i = 0; i < grown.length; i++) {
    if (mask[i]) grown[i] = 0;
    else if (grown[i]) any = true;
  }
  return any ? grown : undefined;
}
