import { stat } from 'node:fs/promises';
import type { RgbImage } from '#shared/image/rgbImage';
import { ContentHasher } from '#shared/render/hash';
import { planRender, type PlanSettings, type RenderPlan } from '#shared/render/plan';
import { oneLineReason } from '#shared/render/oneLineReason';
import {
  ProgressMeter,
  Throttle,
  type RenderEvent,
  type RenderFinished,
  type RenderStage,
} from '#shared/render/progress';
import { DEFAULT_CACHE_LIMIT_BYTES } from '#main/scheduler/cache/cachePruner';
import { CancelledError } from '#shared/render/cancelled';
import { type Dispatcher } from '#main/scheduler/workers/dispatcher';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { explainIoError } from '#main/scheduler/ioError';
import { runSegments } from '#main/scheduler/segmentRunner';
import type { VideoFormat } from '#main/media/formats';
import { claimOutput } from '#main/media/outputTarget';
import { VideoEncoder } from '#main/media/videoEncoder';
import { lockJob } from './jobLock';
import {
  firstMissingSegment,
  jobIdFor,
  manifestOwnsOutput,
  manifestSegments,
  readManifest,
  writeManifest,
  type JobManifest,
} from './jobManifest';
import { summarizeCoherence } from '#shared/render/coherence/summary';
import { writeCoherenceReport } from './coherenceFile';
import { renderPruner, type CachePruneOutcome } from './renderPruner';
import { CoherenceRecorder } from './coherenceRecorder';
import { thumbnailDataUrl } from './thumbnail';
import { SegmentStrip } from '#shared/render/segmentStrip';

export interface RenderJobSpec {
  projectDir: string;
  /** Absolute output path (a folder for PNG sequences). */
  output: string;
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  plan: PlanSettings;
  /** Hash of everything besides the poses that changes pixels (generator, character, size, seed). */
  settingsHash: string;
  /** The pose of a timeline frame, in the character picture's pixels (what workers render). */
  poseAt(frame: number): Float64Array;
  audioFrom?: string;
  /** Frames carry an alpha plane the output keeps where its format can (EncodeSettings.alpha). */
  alpha?: boolean;
  ffmpeg: string;
  ffprobe: string;
  /** Continue the job recorded for this output; fails if there is none. */
  resume?: boolean;
  /**
   * Replace a file at `output` that this job did not make, or write into a folder that holds
   * other files (same-name files replaced, nothing removed). Without it such outputs are refused;
   * this job's own previous output (recorded in its manifest) is always replaced.
   */
  overwrite?: boolean;
  priority?: number;
  /**
   * Byte limit of the project's cache (segments, diffusion banks): after the render finishes,
   * least recently used files beyond it are removed, never this render's segments nor those of
   * renders still running. Default 20 GiB.
   */
  cacheLimitBytes?: number;
  /**
   * Measure the coherence report (default on; `renders/<job>/coherence.json`, the finished
   * event's `coherence`). Off only to measure what the report costs (`bench:render`).
   */
  coherence?: boolean;
}

export interface RenderJobContext {
  dispatcher: Dispatcher;
  cache?: SegmentCache;
  signal?: AbortSignal;
  onEvent?(event: RenderEvent): void;
  /** Cache pruning outcomes (a failure never fails the render; without this it is logged). */
  onCachePrune?(outcome: CachePruneOutcome): void;
  now?(): number;
}

/** Nothing to resume, or a resume that does not match the job on disk. */
export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}

/** Frame hashes of the whole range, once: each pose hashed by its exact numbers. */
export function planFor(spec: Pick<RenderJobSpec, 'plan' | 'settingsHash' | 'poseAt'>): RenderPlan {
  const hashes = new Map<number, string>();
  const frameHash = (f: number) => {
    let h = hashes.get(f);
    if (h === undefined) {
      h = new ContentHasher().floats(spec.poseAt(f)).digest();
      hashes.set(f, h);
    }
    return h;
  };
  return planRender(spec.plan, { frameHash, settingsHash: spec.settingsHash });
}

/**
 * Renders one job end to end: plan → segments (cache or workers) → ordering barrier → encoder →
 * checked output. Only one render of a job runs at a time (`lockJob`). The manifest is rewritten
 * after every segment; a failure or cancel removes the partial video and records why in the
 * manifest (state `failed`/`cancelled`, never left `running`).
 */
export async function runRenderJob(
  spec: RenderJobSpec,
  ctx: RenderJobContext,
): Promise<RenderFinished> {
  const jobId = jobIdFor(spec.output, spec.format, spec.plan.from, spec.plan.to);
  const lock = await lockJob(spec.projectDir, jobId, spec.output).catch((e: unknown) => {
    throw explainIoError(e, `writing the render job lock in ${spec.projectDir}/renders`);
  });
  try {
    return await runLockedJob(spec, ctx, jobId);
  } finally {
    await lock.release();
  }
}

async function runLockedJob(
  spec: RenderJobSpec,
  ctx: RenderJobContext,
  jobId: string,
): Promise<RenderFinished> {
  const now = ctx.now ?? (() => Date.now());
  const started = now();
  const emit = (e: RenderEvent) => ctx.onEvent?.(e);
  const total = spec.plan.to - spec.plan.from;
  const meter = new ProgressMeter(total);
  const previous = await readManifest(spec.projectDir, jobId);
  if (
    spec.cacheLimitBytes !== undefined &&
    !(Number.isFinite(spec.cacheLimitBytes) && spec.cacheLimitBytes >= 0)
  )
    throw new RangeError(`cache limit must be a size in bytes ≥ 0, got ${spec.cacheLimitBytes}`);
  if (spec.resume && !previous)
    throw new ResumeError(
      `nothing to resume: no render job for ${spec.output} frames ${spec.plan.from}–${spec.plan.to}`,
    );
  const plan = planFor(spec);
  // Refuse an output that is not ours before anything is recorded: a refused render leaves no job.
  const replace = {
    identity: { format: spec.format, from: spec.plan.from, to: spec.plan.to },
    ...(spec.overwrite ? { overwrite: true } : {}),
    ...((await manifestOwnsOutput(previous, spec.output)) ? { ownsExisting: true } : {}),
  };
  await claimOutput(spec.output, { kind: spec.format === 'png' ? 'folder' : 'file', ...replace });
  let stage: RenderStage = 'planning';
  let segIndex: number | null = null;
  let segSource: 'cache' | 'rendered' | null = null;
  let thumbnail: string | null = null;
  const strip = new SegmentStrip(plan.segments.length);
  const progress = () =>
    emit({
      type: 'progress',
      jobId,
      stage,
      framesDone: meter.framesDone,
      framesTotal: total,
      framesPerSecond: Math.round(meter.fps() * 10) / 10,
      etaSeconds: meter.etaSeconds(),
      segmentIndex: segIndex,
      segmentCount: plan.segments.length,
      segmentSource: segSource,
      thumbnail,
      segments: strip.text(),
    });
  const stamp = () => new Date(now()).toISOString();
  const manifest: JobManifest = {
    version: 1,
    jobId,
    createdAt: previous?.createdAt ?? stamp(),
    updatedAt: stamp(),
    state: 'running',
    output: spec.output,
    format: spec.format,
    from: spec.plan.from,
    to: spec.plan.to,
    width: spec.width,
    height: spec.height,
    fps: spec.fps,
    segments: manifestSegments(plan, previous),
    attempts: [...(previous?.attempts ?? []), { startedAt: stamp(), rendered: 0, cached: 0 }],
    error: null,
    ...(previous?.outputFile ? { outputFile: previous.outputFile } : {}),
  };
  const attempt = manifest.attempts.at(-1)!;
  const save = async () => {
    manifest.updatedAt = stamp();
    try {
      await writeManifest(spec.projectDir, manifest);
    } catch (e) {
      throw explainIoError(e, `writing the render job manifest in ${spec.projectDir}/renders`);
    }
  };
  await save();
  const firstMissing = firstMissingSegment(manifest);
  segIndex = firstMissing < plan.segments.length ? firstMissing : null;
  progress(); // after the manifest exists: from here on, a kill leaves a job to resume

  const limit = spec.cacheLimitBytes ?? DEFAULT_CACHE_LIMIT_BYTES;
  // Wall-clock (file mtimes are), less a little for the file system's coarse clock.
  const startedAt = Date.now() - 100;
  const prune = renderPruner(spec.projectDir, plan, limit, startedAt, (o) => {
    try {
      if (ctx.onCachePrune) ctx.onCachePrune(o);
      else if ('error' in o) console.warn(`pose-studio: cache not pruned: ${o.error.message}`);
    } catch {
      // a listener's failure is not the render's
    }
  });
  const cache =
    ctx.cache ??
    SegmentCache.forProject(spec.projectDir, {
      makeRoom: async (bytes) =>
        // Free well beyond one segment, so the next writes do not each prune again.
        (await prune('disk-full', Math.max(bytes * 8, 64 * 1024 ** 2)))?.removed.bytes ?? 0,
    });
  let encoder: VideoEncoder | undefined;
  // Every frame of the video, cached or rendered, in order: the report covers the whole video
  // (a `--resume` re-encodes from the first frame, so it re-measures it too).
  const coherence =
    spec.coherence === false
      ? null
      : new CoherenceRecorder(
          plan.segments.map((s) => s.start - spec.plan.from),
          ctx.dispatcher,
        );
  // The character's warnings (the puppet's mask) reach the job's events once, before its frames.
  const warnings = ctx.dispatcher.warnings().catch(() => []);
  let warned = false;
  const warnOnce = async () => {
    if (warned) return;
    warned = true;
    for (const warning of await warnings) emit({ type: 'warning', jobId, warning });
  };
  const progressThrottle = new Throttle(250);
  const thumbThrottle = new Throttle(1000);
  try {
    encoder = await VideoEncoder.open({
      ffmpeg: spec.ffmpeg,
      ffprobe: spec.ffprobe,
      output: spec.output,
      format: spec.format,
      width: spec.width,
      height: spec.height,
      fps: spec.fps,
      startNumber: spec.plan.from,
      ...replace,
      ...(spec.audioFrom ? { audioFrom: spec.audioFrom } : {}),
      ...(spec.alpha ? { alpha: true } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    stage = 'rendering';
    // The rate counts from here, so the first segments (delivered in a burst once rendered) give
    // frames per second of rendering, not of copying into the encoder.
    meter.update(0, now());
    const enc = encoder;
    let done = 0;
    const counts = await runSegments({
      jobId,
      plan,
      cache,
      dispatcher: ctx.dispatcher,
      ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onStart: (seg, worker) => {
        strip.started(seg.index);
        emit({ type: 'segment-started', jobId, index: seg.index, worker });
        if (progressThrottle.ready(now())) progress();
      },
      onRetry: (r) => {
        (attempt.retries ??= []).push(r.message);
        emit({
          type: 'segment-retry',
          jobId,
          indices: r.segments,
          retry: r.retry,
          retries: r.retries,
          message: r.message,
        });
        // Written with the next segment's manifest update (a kill before it loses only the note).
      },
      poses: (s) =>
        Array.from({ length: s.windowEnd - s.windowStart }, (_, i) =>
          spec.poseAt(s.windowStart + i),
        ),
      deliver: async (seg, frames: RgbImage[], source) => {
        const t0 = now();
        segIndex = seg.index;
        segSource = source;
        await warnOnce();
        await coherence?.ready();
        for (const frame of frames) {
          coherence?.add(frame);
          await enc.writeFrame(frame).catch((e: unknown) => {
            throw explainIoError(e, `encoding ${spec.output}`);
          });
          meter.update(++done, now());
          if (progressThrottle.ready(now())) progress();
        }
        if (thumbThrottle.ready(now())) thumbnail = await thumbnailDataUrl(frames.at(-1)!);
        strip.delivered(seg.index, source);
        manifest.segments[seg.index]!.done = true;
        if (source === 'cache') attempt.cached++;
        else attempt.rendered++;
        await save();
        emit({
          type: 'segment',
          jobId,
          index: seg.index,
          start: seg.start,
          end: seg.end,
          hash: seg.hash,
          source,
          ms: now() - t0,
        });
        if (progressThrottle.ready(now())) progress(); // the strip and the thumbnail, at once
      },
    });
    stage = 'encoding';
    progress();
    const probe = await encoder.finish().catch((e: unknown) => {
      throw explainIoError(e, `finishing ${spec.output}`);
    });
    manifest.state = 'done';
    if (spec.format !== 'png') {
      const st = await stat(spec.output);
      manifest.outputFile = { size: st.size, mtimeMs: st.mtimeMs };
    }
    await save();
    const report = coherence?.report() ?? null;
    if (report)
      await writeCoherenceReport(spec.projectDir, jobId, report).catch((e: unknown) => {
        // The video is done and checked: a report that cannot be stored is said, not fatal.
        const why = explainIoError(e, `writing renders/${jobId}/coherence.json`);
        console.warn(
          `pose-studio: coherence report not saved: ${why instanceof Error ? why.message : String(why)}`,
        );
      });
    await prune('finished');
    stage = 'done';
    progress();
    const finished: RenderFinished = {
      type: 'finished',
      jobId,
      output: spec.output,
      frames: probe.frames,
      fps: probe.fps,
      width: probe.width,
      height: probe.height,
      segmentsRendered: counts.rendered,
      segmentsCached: counts.cached,
      seconds: (now() - started) / 1000,
      coherence: report ? summarizeCoherence(report) : null,
    };
    await warnOnce();
    emit(finished);
    return finished;
  } catch (e) {
    await encoder?.abort().catch(() => undefined);
    const cancelled = e instanceof CancelledError || ctx.signal?.aborted === true;
    const error = cancelled ? new CancelledError() : e;
    // One line of reason for the manifest, the studio and the CLI: no stack frames or paths of
    // this program (an engine's error may carry them).
    if (error instanceof Error) error.message = oneLineReason(error.message);
    manifest.state = cancelled ? 'cancelled' : 'failed';
    manifest.error = error instanceof Error ? error.message : oneLineReason(String(error));
    await save().catch(() => undefined); // the disk may be full: the manifest keeps its last good state
    stage = cancelled ? 'cancelled' : 'failed';
    progress();
    emit({ type: 'failed', jobId, message: manifest.error, cancelled });
    throw error;
  }
}
