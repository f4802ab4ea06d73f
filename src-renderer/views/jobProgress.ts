import type { RenderProgress, RenderStage } from '#shared/api/index';
import { formatDuration } from '#shared/render/progress';

/**
 * What the render queue says about a job: the bar's percentage, the numbers line, the stage
 * chip's colour and which buttons it offers. Progress arrives in events the page does not
 * validate, so every number is checked before it is shown.
 */

/** Stages in which a job is working or waiting for a worker (pause and cancel apply). */
const ACTIVE: ReadonlySet<string> = new Set<RenderStage>([
  'queued',
  'planning',
  'rendering',
  'encoding',
]);
/** Stages in which a job holds a worker right now (the top bar's "N rendering"). */
const RUNNING: ReadonlySet<string> = new Set<RenderStage>(['planning', 'rendering', 'encoding']);

export type StageColour = 'default' | 'primary' | 'success' | 'error' | 'warning';
const STAGE_COLOUR: Partial<Record<RenderStage, StageColour>> = {
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
  paused: 'warning',
};

/** An ETA longer than this is shown as "over 99 h" (a stalled job's estimate, not a plan). */
const LONGEST_ETA_S = 100 * 3600;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** Share of frames done, 0–100 (0 while the total is unknown). */
export function jobPercent(p: Pick<RenderProgress, 'framesDone' | 'framesTotal'>): number {
  if (!finite(p.framesDone) || !finite(p.framesTotal) || p.framesTotal <= 0) return 0;
  return Math.min(100, Math.max(0, (100 * p.framesDone) / p.framesTotal));
}

export function etaText(seconds: number | null): string {
  if (!finite(seconds) || seconds < 0) return '—';
  if (seconds >= LONGEST_ETA_S) return 'over 99 h';
  return formatDuration(seconds);
}

/** "50% · 24/48 frames · 3.2 frames/s · ETA 0:07 · segment 2/2" */
export function jobNumbersText(p: RenderProgress): string {
  const count = (n: unknown) => (finite(n) && n >= 0 ? String(Math.floor(n)) : '?');
  const fps = finite(p.framesPerSecond) && p.framesPerSecond >= 0 ? p.framesPerSecond : null;
  const parts = [
    `${Math.floor(jobPercent(p))}%`,
    `${count(p.framesDone)}/${count(p.framesTotal)} frames`,
    `${fps === null ? '—' : fps.toFixed(1)} frames/s`,
    `ETA ${etaText(p.etaSeconds)}`,
  ];
  if (finite(p.segmentIndex) && p.segmentIndex >= 0)
    parts.push(`segment ${Math.floor(p.segmentIndex) + 1}/${count(p.segmentCount)}`);
  return parts.join(' · ');
}

export function stageColour(stage: string): StageColour {
  // Own keys only: a stage named like an Object method ("toString") is not a colour.
  return Object.hasOwn(STAGE_COLOUR, stage) ? STAGE_COLOUR[stage as RenderStage]! : 'primary';
}

/** The buttons a job offers in its stage (an unknown stage offers none of them). */
export function jobActions(stage: string): { pause: boolean; resume: boolean; cancel: boolean } {
  const active = ACTIVE.has(stage);
  return {
    pause: active,
    resume: stage === 'paused' || stage === 'cancelled' || stage === 'failed',
    cancel: active || stage === 'paused',
  };
}

/** How many jobs hold a worker now. */
export function runningJobCount(progress: Readonly<Record<string, { stage: string }>>): number {
  return Object.values(progress).filter((p) => RUNNING.has(p.stage)).length;
}
