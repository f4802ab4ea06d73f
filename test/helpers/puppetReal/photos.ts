/**
 * The puppet on the real photos: the walk cycle rendered at the photo's own size (its frames for a
 * contact sheet), and the character mask the puppet made against the ground-truth outline where
 * the fixture has one (the COCO skier's segmentation polygon).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import type { RgbImage } from '#shared/image/rgbImage';
import { walkCycle } from '#shared/pose/motions/limbMotions';
import { Joint } from '#shared/pose/skeleton';
import {
  LIMB_GROUPS,
  labelParts,
  limbCover,
  limbLabel,
  limbMoved,
} from '#shared/puppet/checks/limbs';
import { limbSeams, uncoveredArea } from '#shared/puppet/checks/uncovered';
import {
  MIN_MARKER_PIXELS,
  findMarker,
  otherMarkerTargets,
  paintMarkers,
  pickMarkerColours,
} from '#shared/puppet/checks/markers';
import { fillPolygons, maskIou } from '#shared/puppet/checks/outline';
import { limbColouredPixels, paintParts } from '#shared/puppet/checks/partCodes';
import { count } from '#shared/puppet/checks/regions';
import { armsBehindBody, otherSideInFront } from '#shared/puppet/checks/otherSideInFront';
import type { LayerOverrides } from '#shared/puppet/layerOrder';
import { type Photo, writeRgba } from './fixtures';
import { describeMarker, findJointMarker, markerFails } from './jointMarkers';
import type { PuppetDriver } from './puppetDriver';
import { JOINT_NAMES, SHEET_WALK_PHASES, WALK_PHASES } from './evaluate';

export interface PhotoReport {
  photo: string;
  setupMs: number;
  warnings: string[];
  frames: RgbImage[];
  /** Mask IoU against the ground-truth outline (undefined: no outline for this photo). */
  maskIou?: number;
  maskSource?: string;
}

export async function evaluatePhoto(driver: PuppetDriver, p: Photo): Promise<PhotoReport> {
  const poses = SHEET_WALK_PHASES.map((phase) => walkCycle(p.reference, phase));
  const { info, frames } = await driver.renderOnce(p.path, p.reference, poses);
  const report: PhotoReport = {
    photo: p.name,
    setupMs: info.setupMs,
    warnings: info.warnings.map((w) => w.message),
    frames,
  };
  if (p.outline) {
    // The mask is not part of the engine's answer (yet): set the character up in this process,
    // through the same public setup, and read its mask.
    const c = await setupPuppetCharacter({ picturePath: p.path, referencePose: p.reference });
    report.maskIou = maskIou(c.mask, fillPolygons(p.outline, p.width, p.height));
    report.maskSource = c.maskSource;
  }
  return report;
}

export interface PhotoLimbReport {
  photo: string;
  /** Per walk phase (WALK_PHASES): limb-coloured pixels where a limb left, and that area. */
  leftoverPixels: number[];
  uncoveredPixels: number[];
  leftoverWorstFraction: number;
  /** Marker errors (worst, px) and ghost pixels over the phases; undefined: too few free colours. */
  markerWorstError?: number;
  markerGhostPixels?: number;
  /** Markers over the limit ("rWrist lost (phase 2)"), and those found only with the limb in front drawn behind. */
  markerFailures?: string[];
  markersHidden?: string[];
}

/**
 * The "no ghost limb" check on a photo whose outline is known: the outline is given as the user's
 * mask (so the mask's quality does not enter), the person's pixels are part-coded (limbs
 * saturated, body grey; the background stays the photo) and joint markers are painted in a second
 * copy; the walk is rendered and measured as for the drawings (evaluate.ts).
 */
export async function photoLimbChecks(
  driver: PuppetDriver,
  p: Photo,
  dir: string,
): Promise<PhotoLimbReport> {
  if (!p.outline) throw new Error(`${p.name} has no outline`);
  const W = p.width;
  const H = p.height;
  const mask = fillPolygons(p.outline, W, H);
  const rgb = new Uint8Array(await sharp(p.path).removeAlpha().raw().toBuffer());
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  const maskPath = join(dir, `${p.name}-outline.png`);
  const maskRgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++)
    maskRgba.fill(mask[i] ? 255 : 0, i * 4, i * 4 + 3).fill(255, i * 4 + 3, i * 4 + 4);
  await writeRgba(maskPath, maskRgba, W, H);

  const labels = labelParts(mask, W, H, p.reference);
  const coded = new Uint8Array(rgba);
  // paintParts paints every opaque pixel: only the person's are to be coded.
  const personOnly = new Uint8Array(coded);
  for (let i = 0; i < W * H; i++) personOnly[i * 4 + 3] = mask[i] ? 255 : 0;
  paintParts(personOnly, labels.label);
  for (let i = 0; i < W * H; i++)
    if (mask[i]) coded.set(personOnly.subarray(i * 4, i * 4 + 3), i * 4);
  const codedPath = await writeRgba(join(dir, `${p.name}-parts.png`), coded, W, H);

  const poses = WALK_PHASES.map((phase) => walkCycle(p.reference, phase));
  const frames = (await driver.renderOnce(codedPath, p.reference, poses, undefined, maskPath))
    .frames;
  const neck = [p.reference[Joint.neck * 3]!, p.reference[Joint.neck * 3 + 1]!];
  const midHip = [
    (p.reference[Joint.rHip * 3]! + p.reference[Joint.lHip * 3]!) / 2,
    (p.reference[Joint.rHip * 3 + 1]! + p.reference[Joint.lHip * 3 + 1]!) / 2,
  ];
  const seamRadius = 0.12 * Math.hypot(neck[0]! - midHip[0]!, neck[1]! - midHip[1]!);
  const report: PhotoLimbReport = {
    photo: p.name,
    leftoverPixels: [],
    uncoveredPixels: [],
    leftoverWorstFraction: 0,
  };
  frames.forEach((f, k) => {
    let left = 0;
    let uncovered = 0;
    for (const g of LIMB_GROUPS) {
      if (!limbMoved(p.reference, poses[k]!, g)) continue;
      const label = limbLabel(g);
      const cover = limbCover(labels, W, H, p.reference, poses[k]!, label);
      const gone = uncoveredArea(
        labels,
        cover,
        W,
        H,
        label,
        limbSeams(g, p.reference, poses[k]!, mask, W, H),
        seamRadius,
      );
      uncovered += count(gone);
      left += limbColouredPixels(f.data, gone, g);
    }
    report.leftoverPixels.push(left);
    report.uncoveredPixels.push(uncovered);
    if (uncovered)
      report.leftoverWorstFraction = Math.max(report.leftoverWorstFraction, left / uncovered);
  });

  const joints = Array.from({ length: 14 }, (_, j) => j).filter((j) => p.reference[j * 3 + 2]! > 0);
  let colours;
  try {
    colours = pickMarkerColours(rgba, 4, joints.length);
  } catch {
    return report; // the photo uses too many saturated colours for distinct markers
  }
  const marked = new Uint8Array(rgba);
  for (let i = 0; i < W * H; i++) if (!mask[i]) marked[i * 4 + 3] = 0; // paint on the person only
  const painted = paintMarkers(
    marked,
    W,
    H,
    joints.map((j, k) => ({
      x: p.reference[j * 3]!,
      y: p.reference[j * 3 + 1]!,
      color: colours[k]!,
    })),
  );
  for (let i = 0; i < W * H; i++) marked[i * 4 + 3] = 255;
  const markedPath = await writeRgba(join(dir, `${p.name}-markers.png`), marked, W, H);
  const render = async (layers?: LayerOverrides) =>
    (await driver.renderOnce(markedPath, p.reference, poses, undefined, maskPath, layers)).frames;
  const markerFrames = await render();
  // Rendered only if some marker is hidden: each side's limbs in front of the other's, then both
  // arms behind the body (as for the drawings, evaluate.ts).
  const otherLayers: RgbImage[][] = [];
  const withOtherLayers = async (n: 0 | 1) =>
    (otherLayers[n] ??= await render(
      n === 0 ? otherSideInFront(p.reference) : armsBehindBody(p.reference),
    ));
  report.markerWorstError = 0;
  report.markerGhostPixels = 0;
  report.markerFailures = [];
  report.markersHidden = [];
  for (const [k, pose] of poses.entries())
    for (const [m, j] of joints.entries()) {
      if (painted[m]! < MIN_MARKER_PIXELS) continue;
      const others = otherMarkerTargets(pose, joints, painted, j);
      const target = [pose[j * 3]!, pose[j * 3 + 1]!] as const;
      const find = (frames: RgbImage[]) =>
        findMarker(frames[k]!.data, W, H, colours[m]!, target, undefined, undefined, others);
      const { found, hidden } = await findJointMarker(find, markerFrames, withOtherLayers);
      if (hidden) report.markersHidden.push(`${JOINT_NAMES[j]} (phase ${k})`);
      report.markerWorstError = Math.max(report.markerWorstError, found.error);
      report.markerGhostPixels += found.ghostPixels;
      if (markerFails(found))
        report.markerFailures.push(`${describeMarker(JOINT_NAMES[j]!, found)} (phase ${k})`);
    }
  return report;
}
