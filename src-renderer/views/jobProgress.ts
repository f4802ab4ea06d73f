import type { RenderProgress, RenderStage } from '#shared/api/index';
import {
  RENDER_STARTUP_STEPS,
  formatDuration,
  startupText,
  type RenderStartup,
} from '#shared/render/progress';
import { countStrip, type SegmentStripState } from '#shared/render/segmentStrip';

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

/** Stages in which a job can still be starting up (before the scheduler has its workers). */
const STARTING: ReadonlySet<string> = new Set<RenderStage>(['queued', 'planning']);

/**
 * The start-up step a job is in, when it is in one: only while queued or planning (a paused,
 * failed or cancelled job's last step is history), and only a step and counts that make sense.
 */
export function activeStartup(p: RenderProgress): RenderStartup | null {
  const s: unknown = p.startup;
  if (!STARTING.has(p.stage) || typeof s !== 'object' || s === null) return null;
  const { step, ready, total, elapsedMs } = s as Record<string, unknown>;
  const count = (n: unknown): n is number => finite(n) && n >= 0 && Number.isInteger(n);
  if (!RENDER_STARTUP_STEPS.some((k) => k === step) || !count(ready) || !count(total)) return null;
  return {
    step: step as RenderStartup['step'],
    ready: Math.min(ready, total),
    total,
    elapsedMs: finite(elapsedMs) && elapsedMs >= 0 ? elapsedMs : 0,
  };
}

/** How long a render has waited: "6 s", then "1:05". */
export function waitedText(elapsedMs: number): string {
  const seconds = finite(elapsedMs) && elapsedMs >= 0 ? Math.floor(elapsedMs / 1000) : 0;
  if (seconds >= LONGEST_ETA_S) return 'over 99 h';
  return seconds < 60 ? `${seconds} s` : formatDuration(seconds);
}

/** "Starting engines (1/2)… 6 s": the step, its count, and how long the render has waited. */
export function startupLine(s: RenderStartup, elapsedMs: number): string {
  return `${startupText(s)} ${waitedText(elapsedMs)}`;
}

/** What the segment strip says to a screen reader and in its tooltip. */
export function stripLabel(cells: readonly SegmentStripState[], segmentCount: unknown): string {
  const c = countStrip(cells);
  const parts = [
    `${c.done} done`,
    `${c.cached} from the cache`,
    `${c.rendering} rendering`,
    `${c.queued} waiting`,
  ];
  const exact = finite(segmentCount) && segmentCount === cells.length;
  return exact
    ? `Segments: ${parts.join(', ')}`
    : `Segments in ${cells.length} groups: ${parts.join(', ')}`;
}
