import type { CoherencePoint, CoherenceReport } from '#shared/api/coherence';

/** Where the plot draws: a box of `width` × `height` pixels, frames along x. */
export interface PlotBox {
  width: number;
  height: number;
}

export interface SeamMarker {
  /** First frame of the new segment, relative to the render's first frame. */
  frame: number;
  x: number;
  score: number | null;
  flagged: boolean;
  /** What a screen reader says and the tooltip shows. */
  label: string;
}

export interface CoherencePlot {
  /** SVG polyline points (`x,y x,y …`) of the flicker index (0…1, top = 1). */
  flicker: string;
  /** SVG polyline points of the character's colour drift (ΔE; scale `driftScale` at the top). */
  drift: string;
  background: string;
  /** ΔE at the top of the plot: at least 2, so a render under the ΔE 1 target stays low. */
  driftScale: number;
  seams: SeamMarker[];
}

/** x of a frame: frame 0 at the left edge, the last frame at the right. */
export function frameX(frame: number, frames: number, width: number): number {
  return frames <= 1 ? 0 : (frame / (frames - 1)) * width;
}

/** One point per plotted bucket, at its middle frame, its max (a one-frame spike stays visible). */
function polyline(
  points: readonly CoherencePoint[],
  frames: number,
  box: PlotBox,
  top: number,
): string {
  return points
    .map((p) => {
      const x = frameX((p.from + p.to) / 2, frames, box.width);
      const y = box.height * (1 - Math.min(1, Math.max(0, p.max / top)));
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** The report mapped onto a plot box: series as polylines, seams as markers with labels. */
export function coherencePlot(report: CoherenceReport, box: PlotBox): CoherencePlot {
  const { frames } = report;
  const character = report.drift.character;
  const background = report.drift.background;
  const driftMax = Math.max(character.max ?? 0, background?.max ?? 0);
  const driftScale = Math.max(2, Math.ceil(driftMax));
  return {
    flicker: polyline(report.flicker.series, frames, box, 1),
    drift: polyline(character.series, frames, box, driftScale),
    background: background ? polyline(background.series, frames, box, driftScale) : '',
    driftScale,
    seams: report.seams.boundaries.map((b) => ({
      frame: b.frame,
      x: frameX(b.frame, frames, box.width),
      score: b.score,
      flagged: b.flagged,
      label:
        `Seam at frame ${b.frame}: ` +
        (b.score === null ? 'no score (segments too short)' : `score ${b.score.toFixed(2)}`) +
        (b.flagged ? ', flagged (visible jump)' : ''),
    })),
  };
}
