import type { CoherenceReport, CoherenceSummary } from '#shared/api/coherence';

/** The few numbers of a report a user reads first (the finished event, the CLI line). */
export function summarizeCoherence(report: CoherenceReport): CoherenceSummary {
  return {
    frames: report.frames,
    seamScore: report.seams.score,
    boundaries: report.seams.boundaries.length,
    flaggedFrames: report.seams.boundaries.filter((b) => b.flagged).map((b) => b.frame),
    flickerMean: report.flicker.mean,
    driftCharacter: report.drift.character.max,
    driftBackground: report.drift.background?.max ?? null,
    region: report.drift.region,
  };
}

const fixed = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));

/**
 * One line for a terminal: `coherence: seams 1.02 (0 of 4 flagged), flicker 0.44, colour drift
 * ΔE 0.31 character / 0.20 background`. Flagged boundaries are named by their video frame
 * (`firstFrame` = the render's first frame), so the user can look at them.
 */
export function coherenceLine(s: CoherenceSummary, firstFrame = 0): string {
  const flagged = s.flaggedFrames.length;
  let seams = `seams ${fixed(s.seamScore, 2)} (${flagged} of ${s.boundaries} flagged`;
  if (flagged > 0) {
    const shown = s.flaggedFrames.slice(0, 5).map((f) => f + firstFrame);
    seams += `: frame${flagged > 1 ? 's' : ''} ${shown.join(', ')}${flagged > 5 ? ', …' : ''}`;
  }
  seams += ')';
  const drift =
    s.region === 'mask'
      ? `colour drift ΔE ${fixed(s.driftCharacter, 2)} character / ${fixed(s.driftBackground, 2)} background`
      : `colour drift ΔE ${fixed(s.driftCharacter, 2)}`;
  return `coherence: ${seams}, flicker ${fixed(s.flickerMean, 2)}, ${drift}`;
}
