/**
 * What one motion of one drawing measured (`evaluateDrawing`), and the lines the bench and the
 * thresholds test print for it.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import { LIMITS } from './thresholds';

export interface CaseReport {
  drawing: string;
  motion: string;
  frames: number;
  markerWorstError: number;
  markerGhostPixels: number;
  /** Joints whose marker is not within the limit or has ghosts, e.g. "rWrist 12.3 px / 40 ghost px". */
  markerFailures: string[];
  /** Joints whose marker could not be painted (off the drawing). */
  markersSkipped: string[];
  /** Joints hidden under a limb drawn in front, measured with that limb drawn behind. */
  markersHidden: string[];
  belowHipsPsnr?: number;
  coverageWorst: number;
  coverageRatios: number[];
  /**
   * The character's pixel count against the count of the input's parts moved to the target pose
   * (`expectedSilhouette`): where limbs come to lie over the body the literal count drops with no
   * hole (an arm lowered over a wide body), and this ratio does not.
   */
  expectedWorst: number;
  expectedRatios: number[];
  piecesWorst: number;
  inputPieces: number;
  holesWorst: number;
  inputHoles: number;
  uncoveredPixels: number;
  leftoverPixels: number;
  leftoverWorstFraction: number;
  strayLimbPixels: number;
  /** Character pixels of the frame outside where the character should be (grown 3 px). */
  unexplainedPixels: number;
  pass: { markers: boolean; belowHips?: boolean; coverage: boolean; leftovers: boolean };
  /** The frames as drawn, over white. */
  frames0: RgbImage[];
}

const ok = (b: boolean | undefined) => (b === undefined ? '' : b ? 'pass' : 'FAIL');

/** One line per metric, as the bench prints them. */
export function describeCase(r: CaseReport): string[] {
  const lines = [
    `${r.drawing} · ${r.motion} (${r.frames} frame${r.frames > 1 ? 's' : ''})`,
    `  markers: worst ${r.markerWorstError === Infinity ? 'lost' : `${r.markerWorstError.toFixed(2)} px`} (≤ ${LIMITS.markerError}), ghost px ${r.markerGhostPixels} (= 0)  ${ok(r.pass.markers)}` +
      (r.markerFailures.length
        ? `  [${r.markerFailures.slice(0, 8).join('; ')}${r.markerFailures.length > 8 ? '; …' : ''}]`
        : '') +
      (r.markersSkipped.length ? `  (off the drawing: ${r.markersSkipped.join(', ')})` : '') +
      (r.markersHidden.length
        ? `  (hidden under a limb drawn in front, measured with it behind: ${r.markersHidden.join(', ')})`
        : ''),
  ];
  if (r.belowHipsPsnr !== undefined)
    lines.push(
      `  below the hips: ${r.belowHipsPsnr.toFixed(1)} dB (≥ ${LIMITS.belowHipsPsnr})  ${ok(r.pass.belowHips)}`,
    );
  lines.push(
    `  character pixels: ${r.coverageRatios.map((x) => `${(100 * x).toFixed(1)}%`).join(' ')} of the input (±${100 * LIMITS.coverage}%; ${r.expectedRatios.map((x) => `${(100 * x).toFixed(1)}%`).join(' ')} of the input's parts at the target pose), pieces ${r.piecesWorst} (input ${r.inputPieces}), enclosed holes ${r.holesWorst} px (input ${r.inputHoles})  ${ok(r.pass.coverage)}`,
    `  where a limb left: ${r.leftoverPixels} limb-coloured of ${r.uncoveredPixels} px (worst ${(100 * r.leftoverWorstFraction).toFixed(1)}%, ≤ ${100 * LIMITS.leftoverFraction}%); limb colour away from the limb ${r.strayLimbPixels} px  ${ok(r.pass.leftovers)}`,
    `  character pixels where no part should be (ghosts, torn pieces; no limit, for looking): ${r.unexplainedPixels} px`,
  );
  return lines;
}
