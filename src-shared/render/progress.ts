import type { CharacterWarning } from '#shared/puppet/characterWarnings';
/**
 * Progress of a render as plain data: the events the scheduler emits, the CLI prints and the API
 * contract (`src-shared/api/`) forwards to the UI. Everything here is pure; time is passed in.
 */
import type { CoherenceSummary } from '#shared/api/coherence';

/** The same stages as the API contract's `renderStages` (src-shared/api/model.ts). */
export type RenderStage =
  'queued' | 'planning' | 'rendering' | 'encoding' | 'paused' | 'done' | 'failed' | 'cancelled';

/**
 * The numbers of a running job. Field for field the API contract's `renderProgressSchema`, so the
 * services forward it unchanged, plus a `type` tag for JSON-lines output and where the current
 * segment came from.
 */
export interface RenderProgress {
  type: 'progress';
  jobId: string;
  stage: RenderStage;
  framesDone: number;
  framesTotal: number;
  /** Frames per second over the last few seconds (0 until measurable). */
  framesPerSecond: number;
  /** Seconds left at the current speed, or null while unknown. */
  etaSeconds: number | null;
  segmentIndex: number | null;
  segmentCount: number;
  /** `cache`: the current segment was reused; `rendered`: computed by a worker now. */
  segmentSource: 'cache' | 'rendered' | null;
  /** Small JPEG data URL of the last delivered frame (throttled), or null. */
  thumbnail: string | null;
  /** Where each segment is, one letter per cell (`SegmentStrip.text()`). */
  segments?: string;
  /** What the render still waits for before its first frame; null or absent once frames flow. */
  startup?: RenderStartup | null;
}

/**
 * What a render waits for before its first frame, in order: the project read and planned, the
 * engine processes started, the character set up in each (mesh, parts, background plate).
 */
export const RENDER_STARTUP_STEPS = ['preparing', 'engines', 'character'] as const;
export type RenderStartupStep = (typeof RENDER_STARTUP_STEPS)[number];

/** One start-up step: `ready` of `total` done (engines count one by one as each is ready). */
export interface RenderStartup {
  step: RenderStartupStep;
  ready: number;
  total: number;
  /** Milliseconds since the render was asked for, when this count was taken. */
  elapsedMs: number;
}

/** The scheduler's report of a start-up step (before the job's first progress event). */
export interface RenderStarting extends RenderStartup {
  type: 'starting';
  jobId: string;
}

/** One segment finished: the kill/resume tests and the job view count these. */
export interface RenderSegmentDone {
  type: 'segment';
  jobId: string;
  index: number;
  start: number;
  end: number;
  hash: string;
  /** `cache`: reused from the project's segment cache; `rendered`: computed by a worker now. */
  source: 'cache' | 'rendered';
  ms: number;
}

/** A worker started rendering a segment (it was not in the cache). */
export interface RenderSegmentStarted {
  type: 'segment-started';
  jobId: string;
  index: number;
  worker: string;
}

/**
 * A worker's process died during a segment (killed, out of memory, a native crash) and the
 * segment is being rendered again from scratch; `message` says which, which frames and why.
 */
export interface RenderSegmentRetry {
  type: 'segment-retry';
  jobId: string;
  /** The segment, or every segment of a fusion group. */
  indices: number[];
  retry: number;
  retries: number;
  message: string;
}

export interface RenderFinished {
  type: 'finished';
  jobId: string;
  output: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  segmentsRendered: number;
  segmentsCached: number;
  seconds: number;
  /** The coherence report's summary (the whole report is `renders/<job>/coherence.json`); null when not measured. */
  coherence: CoherenceSummary | null;
}

export interface RenderFailed {
  type: 'failed';
  jobId: string;
  message: string;
  cancelled: boolean;
}

/** Something the user should know about the render's input (the puppet's mask warnings), once. */
export interface RenderWarning {
  type: 'warning';
  jobId: string;
  warning: CharacterWarning;
}

export type RenderEvent =
  | RenderStarting
  | RenderProgress
  | RenderWarning
  | RenderSegmentStarted
  | RenderSegmentRetry
  | RenderSegmentDone
  | RenderFinished
  | RenderFailed;

/**
 * Frames/s over a sliding time window and the ETA that follows. The window keeps the speed
 * honest when a render switches from reading cached segments (fast) to rendering (slow).
 */
export class ProgressMeter {
  private samples: { t: number; frames: number }[] = [];

  constructor(
    readonly framesTotal: number,
    private readonly windowSeconds = 5,
  ) {}

  /** Records that `framesDone` frames are done at time `nowMs`. */
  update(framesDone: number, nowMs: number): void {
    this.samples.push({ t: nowMs, frames: framesDone });
    const oldest = nowMs - this.windowSeconds * 1000;
    // Keep one sample older than the window so the rate spans the whole window.
    while (this.samples.length > 2 && this.samples[1]!.t <= oldest) this.samples.shift();
  }

  get framesDone(): number {
    return this.samples.at(-1)?.frames ?? 0;
  }

  fps(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t - first.t < 1) return 0;
    return ((last.frames - first.frames) * 1000) / (last.t - first.t);
  }

  etaSeconds(): number | null {
    const fps = this.fps();
    if (fps <= 0) return null;
    return Math.max(0, (this.framesTotal - this.framesDone) / fps);
  }
}

/** Lets an event through at most every `intervalMs` (the last one is always let through by the caller). */
export class Throttle {
  private last = -Infinity;
  constructor(private readonly intervalMs: number) {}
  ready(nowMs: number): boolean {
    if (nowMs - this.last < this.intervalMs) return false;
    this.last = nowMs;
    return true;
  }
}

/** "Starting engines (1/2)…" — what a start-up step says, in the CLI and the studio. */
export function startupText(s: Pick<RenderStartup, 'step' | 'ready' | 'total'>): string {
  const count = `(${s.ready}/${s.total})`;
  switch (s.step) {
    case 'preparing':
      return 'Preparing the render…';
    case 'engines':
      return `Starting engines ${count}…`;
    case 'character':
      return `Setting up the character ${count}…`;
  }
}

/** `[#####-----] 50% 120/240 frames 31.2 fps ETA 0:04` for the terminal. */
export function formatProgressLine(p: RenderProgress, width = 24): string {
  const frac = p.framesTotal > 0 ? p.framesDone / p.framesTotal : 0;
  const filled = Math.round(frac * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const eta = p.etaSeconds === null ? '--:--' : formatDuration(p.etaSeconds);
  const seg = p.segmentIndex !== null ? ` seg ${p.segmentIndex + 1}/${p.segmentCount}` : '';
  return `${p.stage.padEnd(9)} [${bar}] ${pct} ${p.framesDone}/${p.framesTotal} frames ${p.framesPerSecond.toFixed(1)} fps ETA ${eta}${seg}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
