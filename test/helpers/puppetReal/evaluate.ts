/**
 * Every issue-15 metric for one drawing under the motions of the checks: both arms raised and
 * lowered 60° about the shoulders, and a walk cycle. The drawing is framed once on a 512² canvas
 * (texture + every pose rendered; see framing.ts) and rendered four ways through the puppet: as
 * drawn over white (PSNR, contact sheets) and over black (coverage: alpha from the two), with
 * joint markers painted on, and part-coded (leftover limbs). The metrics are the pure functions of
 * src-shared/puppet/checks.
 */
import { join } from 'node:path';
import type { RgbImage } from '#shared/image/rgbImage';
import { armsRaised, walkCycle } from '#shared/pose/motions/limbMotions';
import { dilate } from '#shared/puppet/mask';
import { Joint } from '#shared/pose/skeleton';
import {
  LIMB_GROUPS,
  expectedSilhouette,
  type LimbGroup,
  labelParts,
  limbCover,
  limbLabel,
  limbMoved,
} from '#shared/puppet/checks/limbs';
import { limbSeams, seamDiscs, uncoveredArea } from '#shared/puppet/checks/uncovered';
import {
  MIN_MARKER_PIXELS,
  findMarker,
  otherMarkerTargets,
  paintMarkers,
  pickMarkerColours,
} from '#shared/puppet/checks/markers';
import { armsBehindBody, otherSideInFront } from '#shared/puppet/checks/otherSideInFront';
import { limbColouredPixels, paintParts } from '#shared/puppet/checks/partCodes';
import {
  alphaFromTwoBackgrounds,
  count,
  enclosedHolePixels,
  pieces,
  psnrOver,
  threshold,
} from '#shared/puppet/checks/regions';
import type { CaseReport } from './caseReport';
import { type Drawing, frame, framedPicture, writeRgb, writeRgba } from './fixtures';
import { BLACK, type PuppetDriver, WHITE } from './puppetDriver';
import { describeMarker, findJointMarker, markerFails } from './jointMarkers';
import { LIMITS } from './thresholds';

export const WALK_PHASES = [0.125, 0.25, 0.625, 0.75];
export const SHEET_WALK_PHASES = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875];

export interface Motion {
  name: string;
  /** Only the arms move (the body below the hips must stay as it was). */
  armsOnly: boolean;
  poses: (reference: Float64Array) => Float64Array[];
}

export const MOTIONS: Motion[] = [
  { name: 'arms raised 60°', armsOnly: true, poses: (r) => [armsRaised(r, 60)] },
  { name: 'arms lowered 60°', armsOnly: true, poses: (r) => [armsRaised(r, -60)] },
  { name: 'walk', armsOnly: false, poses: (r) => WALK_PHASES.map((p) => walkCycle(r, p)) },
];

/** Joint names by index, for reports. */
export const JOINT_NAMES = Object.fromEntries(Object.entries(Joint).map(([k, v]) => [v, k]));

const onWhite = (rgba: Uint8Array) => {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0; i < rgba.length / 4; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(rgba[i * 4 + c]! * a + 255 * (1 - a));
  }
  return out;
};

/**
 * The arms as drawn: their labelled pixels and the unlabelled ones of the drawing joined to them.
 * A rig's wrist is often placed short of the hand (a long monkey's at mid forearm): the check's
 * labels leave the hand past it unsure, and its old place must not count as the body's.
 */
function withUnsureEnds(arms: Uint8Array, label: Uint8Array, mask: Uint8Array, C: number) {
  const out = new Uint8Array(arms);
  const stack: number[] = [];
  for (let i = 0; i < out.length; i++) if (out[i]) stack.push(i);
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % C;
    for (const j of [x > 0 ? i - 1 : -1, x < C - 1 ? i + 1 : -1, i - C, i + C])
      if (j >= 0 && j < out.length && !out[j] && mask[j] && label[j] === 0) {
        out[j] = 1;
        stack.push(j);
      }
  }
  return out;
}

/** `keepFrames`: also write each marker and part-coded frame into `dir` (to look at). */
export async function evaluateDrawing(
  driver: PuppetDriver,
  d: Drawing,
  dir: string,
  motions = MOTIONS,
  keepFrames = false,
): Promise<CaseReport[]> {
  const targets = motions.map((m) => m.poses(d.reference));
  const { framing, reference, poses } = frame(d, targets.flat());
  const C = framing.canvas;
  const plain = await framedPicture(d, framing);
  const inputMask = threshold(
    plain.filter((_, i) => i % 4 === 3),
    128,
  );
  const inputWhite = onWhite(plain);

  const labels = labelParts(inputMask, C, C, reference);
  const armLabels = [limbLabel('rightArm'), limbLabel('leftArm')];
  const inputArms = withUnsureEnds(
    labels.label.map((l) => (armLabels.includes(l) ? 1 : 0)),
    labels.label,
    inputMask,
    C,
  );
  const coded = new Uint8Array(plain);
  paintParts(coded, labels.label);

  const joints = Array.from({ length: 14 }, (_, j) => j).filter((j) => reference[j * 3 + 2]! > 0);
  const colours = pickMarkerColours(plain, 4, joints.length);
  const marked = new Uint8Array(plain);
  const painted = paintMarkers(
    marked,
    C,
    C,
    joints.map((j, k) => ({ x: reference[j * 3]!, y: reference[j * 3 + 1]!, color: colours[k]! })),
  );

  const files = {
    plain: await writeRgba(join(dir, `${d.name}-plain.png`), plain, C, C),
    coded: await writeRgba(join(dir, `${d.name}-parts.png`), coded, C, C),
    marked: await writeRgba(join(dir, `${d.name}-markers.png`), marked, C, C),
  };
  const white = (await driver.renderOnce(files.plain, reference, poses, WHITE)).frames;
  const black = (await driver.renderOnce(files.plain, reference, poses, BLACK)).frames;
  const markerFrames = (await driver.renderOnce(files.marked, reference, poses, WHITE)).frames;
  // Rendered only if some marker is hidden (otherSideInFront.ts): each side's limbs in front of
  // the other's, then both arms behind the body.
  const hiddenRenders: RgbImage[][] = [];
  const markersWithOtherLayers = async (n: 0 | 1) =>
    (hiddenRenders[n] ??= (
      await driver.renderOnce(
        files.marked,
        reference,
        poses,
        WHITE,
        undefined,
        n === 0 ? otherSideInFront(reference) : armsBehindBody(reference),
      )
    ).frames);
  const partFrames = (await driver.renderOnce(files.coded, reference, poses, WHITE)).frames;

  const inputPieces = pieces(inputMask, C, C).filter((s) => s >= 3).length;
  const inputHoles = enclosedHolePixels(inputMask, C, C);
  const inputCount = count(inputMask);
  const neck = [reference[Joint.neck * 3]!, reference[Joint.neck * 3 + 1]!];
  const hipY = Math.max(reference[Joint.rHip * 3 + 1]!, reference[Joint.lHip * 3 + 1]!);
  const midHip = [(reference[Joint.rHip * 3]! + reference[Joint.lHip * 3]!) / 2, hipY];
  // Upright: the neck above the hips, the body's axis within 35° of straight down.
  const upright =
    midHip[1]! - neck[1]! >
    Math.cos((35 * Math.PI) / 180) * Math.hypot(neck[0]! - midHip[0]!, neck[1]! - midHip[1]!);
  const seamRadius = 0.12 * Math.hypot(neck[0]! - midHip[0]!, neck[1]! - midHip[1]!);

  const reports: CaseReport[] = [];
  let at = 0;
  for (const [mi, m] of motions.entries()) {
    const n = targets[mi]!.length;
    const r: CaseReport = {
      drawing: d.name,
      motion: m.name,
      frames: n,
      markerWorstError: 0,
      markerGhostPixels: 0,
      markerFailures: [],
      markersSkipped: joints
        .filter((_, k) => painted[k]! < MIN_MARKER_PIXELS)
        .map((j) => JOINT_NAMES[j]!),
      markersHidden: [],
      coverageWorst: 0,
      coverageRatios: [],
      expectedWorst: 0,
      expectedRatios: [],
      piecesWorst: 0,
      inputPieces,
      holesWorst: 0,
      inputHoles,
      uncoveredPixels: 0,
      leftoverPixels: 0,
      leftoverWorstFraction: 0,
      strayLimbPixels: 0,
      unexplainedPixels: 0,
      pass: { markers: true, coverage: true, leftovers: true },
      frames0: white.slice(at, at + n),
    };
    for (let f = 0; f < n; f++, at++) {
      const target = poses[at]!;
      if (keepFrames) {
        const stem = join(dir, `${d.name}-${m.name.replace(/\W+/g, '-')}-${f}`);
        await writeRgb(`${stem}-markers.png`, markerFrames[at]!.data, C, C);
        await writeRgb(`${stem}-parts.png`, partFrames[at]!.data, C, C);
      }
      // (a) markers
      for (const [k, j] of joints.entries()) {
        if (painted[k]! < MIN_MARKER_PIXELS) continue;
        const find = (frames: RgbImage[]) =>
          findMarker(
            frames[at]!.data,
            C,
            C,
            colours[k]!,
            [target[j * 3]!, target[j * 3 + 1]!],
            LIMITS.markerError,
            undefined,
            otherMarkerTargets(target, joints, painted, j),
          );
        const { found, hidden } = await findJointMarker(find, markerFrames, markersWithOtherLayers);
        const frameNote = n > 1 ? ` (frame ${f})` : '';
        if (hidden) r.markersHidden.push(`${JOINT_NAMES[j]}${frameNote}`);
        r.markerWorstError = Math.max(r.markerWorstError, found.error);
        r.markerGhostPixels += found.ghostPixels;
        if (markerFails(found))
          r.markerFailures.push(`${describeMarker(JOINT_NAMES[j]!, found)}${frameNote}`);
      }
      // (c) coverage, pieces, holes
      const alpha = threshold(alphaFromTwoBackgrounds(black[at]!.data, white[at]!.data), 0.5);
      const ratio = count(alpha) / inputCount;
      r.coverageRatios.push(ratio);
      r.coverageWorst = Math.max(r.coverageWorst, Math.abs(ratio - 1));
      r.piecesWorst = Math.max(r.piecesWorst, pieces(alpha, C, C).filter((s) => s >= 3).length);
      r.holesWorst = Math.max(r.holesWorst, enclosedHolePixels(alpha, C, C));
      // (d) leftovers, and (b) the body below the hips away from where the arms were and went
      // (long arms hang past the hips: their hands' old place is not the body's to keep)
      const armCover = new Uint8Array(inputArms);
      const moved: number[] = [];
      const covers: Uint8Array[] = [];
      for (const g of LIMB_GROUPS) {
        const label = limbLabel(g);
        const cover = limbCover(labels, C, C, reference, target, label);
        if (g === 'rightArm' || g === 'leftArm')
          for (let i = 0; i < cover.length; i++) armCover[i] ||= cover[i]!;
        if (!limbMoved(reference, target, g)) continue;
        moved.push(label);
        covers.push(cover);
        const seams = limbSeams(g as LimbGroup, reference, target, inputMask, C, C);
        const gone = uncoveredArea(labels, cover, C, C, label, seams, seamRadius);
        const uncovered = count(gone);
        const left = limbColouredPixels(partFrames[at]!.data, gone, g);
        r.uncoveredPixels += uncovered;
        r.leftoverPixels += left;
        if (uncovered > 0)
          r.leftoverWorstFraction = Math.max(r.leftoverWorstFraction, left / uncovered);
        const away = dilate(cover, C, C, 3);
        const outside = new Uint8Array(C * C);
        const seam = seamDiscs(seams, seamRadius, C, C);
        for (let i = 0; i < outside.length; i++) outside[i] = away[i] || gone[i] || seam[i] ? 0 : 1;
        r.strayLimbPixels += limbColouredPixels(partFrames[at]!.data, outside, g);
      }
      const silhouette = expectedSilhouette(inputMask, labels, moved, covers);
      const expectedRatio = count(alpha) / Math.max(1, count(silhouette));
      r.expectedRatios.push(expectedRatio);
      r.expectedWorst = Math.max(r.expectedWorst, Math.abs(expectedRatio - 1));
      const expected = dilate(silhouette, C, C, 3);
      for (let i = 0; i < expected.length; i++) if (alpha[i] && !expected[i]) r.unexplainedPixels++;
      // "Below the hips" is an upright body's legs: not asked of a body lying or on all fours
      // (char6's "hips" are its hind legs, its rump lies past them).
      if (m.armsOnly && upright) {
        const keep = dilate(armCover, C, C, 3);
        const region = new Uint8Array(C * C);
        for (let i = 0; i < region.length; i++)
          region[i] = inputMask[i] && ((i / C) | 0) > hipY && !keep[i] ? 1 : 0;
        const grown = dilate(region, C, C, 2);
        for (let i = 0; i < region.length; i++) region[i] = grown[i] && !keep[i] ? 1 : 0;
        const p = psnrOver(white[at]!.data, inputWhite, region);
        r.belowHipsPsnr = Math.min(r.belowHipsPsnr ?? Infinity, p);
      }
    }
    r.pass = {
      markers: r.markerFailures.length === 0,
      // The count within ±8% of the input's, or, where limbs lie over the body, of what the
      // input's parts cover at the target pose.
      coverage:
        Math.min(r.coverageWorst, r.expectedWorst) <= LIMITS.coverage &&
        r.piecesWorst <= Math.max(1, inputPieces),
      leftovers: r.leftoverWorstFraction <= LIMITS.leftoverFraction,
      ...(m.armsOnly && upright
        ? { belowHips: (r.belowHipsPsnr ?? 0) >= LIMITS.belowHipsPsnr }
        : {}),
    };
    reports.push(r);
  }
  return reports;
}
