import type { RgbImage } from '#shared/image/rgbImage';
import { diffusionSizeProblem } from '#shared/diffusion/outputSize';
import { colourDrift, colourStats } from '#shared/diffusion/latents/colourDrift';
import type { SamplerKind } from '#shared/diffusion/schedulers/createSampler';
import { emptyPoints, type PoseFrame } from '#shared/pose/types';
import { hashOf } from '#shared/render/hash';
import { launchOrder, planRender, type RenderPlan } from '#shared/render/plan';
import type { RenderStrategy } from '#shared/render/strategy';
import type { SegmentRequest } from '#shared/render/worker';
import type { DenoiserStats } from '#main/engine/diffusion/pipeline/denoiser';
import type { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from './diffusionWorker';
import type { DiffusionWorkerSettings } from './workerSettings';

export interface DiffusionRenderRequest {
  /** The character picture; its size is the output size (a multiple of 8). */
  reference: RgbImage;
  /** The character's own pose (conditions the reference pass). */
  referencePose: PoseFrame;
  /** One pose per output frame, on a canvas of the output size (its first person is drawn). */
  poses: readonly PoseFrame[];
  prompt: string;
  negativePrompt?: string;
  seed: number;
  steps: number;
  guidanceScale: number;
  conditioningScale?: number;
  sampler?: SamplerKind;
  /** Frames denoised together in one batch (T). */
  window: number;
  /** Long-video strategy (default `independent`: plain windows of T). */
  strategy?: RenderStrategy;
  /** Cross-frame attention inside windows (default `off`); see DiffusionWorkerSettings. */
  crossFrame?: 'off' | 'previous';
  /**
   * Overlap O for `fused`, `interleaved` (held frames each side) and `chained` (feedback frames,
   * part of each later window's T); `independent` ignores it.
   */
  overlap?: number;
  init?: DiffusionWorkerSettings['init'];
  /** More pictures of the character with their poses (`inverted-reference` only). */
  extraReferences?: readonly { image: RgbImage; pose: PoseFrame }[];
  latentEdit?: DiffusionWorkerSettings['latentEdit'];
  referenceTimestep?: number;
  /** See DiffusionWorkerSettings.memoryBudgetBytes (absent: off). */
  memoryBudgetBytes?: number | null;
  stickWidth?: DiffusionWorkerSettings['stickWidth'];
  referenceMode?: DiffusionWorkerSettings['referenceMode'];
  styleFidelity?: number;
  referenceAdain?: boolean;
}

export interface DiffusionRenderStats extends DenoiserStats {
  /** Writer passes on generated frames (chained feedback), besides the one reference pass. */
  feedbackPasses: number;
  /** Frame predictions per frame per step (the fused anchor and PoseCrafter's inversion not counted). */
  predictionsPerFrameStep: number;
  /** `interleaved`: frame predictions per anchor frame per step (PoseGen's target: exactly 1). */
  anchorPredictionsPerFrameStep?: number;
  bankFromCache: boolean;
  bankTokens: number;
  /** Most UNet items per call the memory budget allowed (Infinity: off). */
  itemsPerCall: number;
  /** Mean colour drift (ΔE of mean Lab vs the reference picture) of the frames as generated. */
  colourDriftBefore: number;
  /** The same as delivered (chained windows are colour-corrected; otherwise equal to before). */
  colourDriftAfter: number;
}

export interface DiffusionRenderResult {
  /** The frames, unless a sink took them. */
  frames: RgbImage[];
  stats: DiffusionRenderStats;
  /** The plan the frames were rendered by. */
  plan: RenderPlan;
}

/** Receives finished frames in order (lets a caller stream a long video to the encoder). */
export type FrameSink = (frame: number, image: RgbImage) => void | Promise<void>;

const firstPerson = (pose: PoseFrame): Float64Array => pose.people[0]?.points ?? emptyPoints();

/**
 * A whole video in one call, made exactly as a project render makes it: the request is planned
 * into segments (`planRender`, one fusion group for `fused`) and every segment goes through a
 * DiffusionWorker — the code the engine runs for the segment scheduler — in launch order, each
 * with the frames of the segments it depends on. Frames reach `sink` in timeline order; a
 * segment's frames are dropped once delivered and no later segment needs them, so `interleaved`
 * and `chained` memory does not grow with the length.
 */
export async function renderVideo(
  generator: DiffusionGenerator,
  request: DiffusionRenderRequest,
  sink?: FrameSink,
): Promise<DiffusionRenderResult> {
  const { width, height } = request.reference;
  const sizeProblem = diffusionSizeProblem(width, height);
  if (sizeProblem) throw new RangeError(sizeProblem);
  for (const [i, p] of request.poses.entries())
    if (p.width !== width || p.height !== height)
      throw new RangeError(
        `pose ${i} is on a ${p.width}×${p.height} canvas, the output is ${width}×${height}`,
      );
  const n = request.poses.length;
  if (n === 0) throw new RangeError('nothing to render: no poses');
  const strategy = request.strategy ?? 'independent';
  const overlap = request.overlap ?? 0;
  if (!Number.isInteger(request.window) || request.window < 1)
    throw new RangeError('window must be at least 1 frame');
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= request.window)
    throw new RangeError(`overlap must be a whole number from 0 to window − 1, got ${overlap}`);
  if (strategy === 'interleaved' && (overlap < 1 || 2 * overlap > request.window))
    throw new RangeError(
      `interleaved needs 1 ≤ overlap ≤ window/2, got ${overlap} with window ${request.window}`,
    );

  const plan = planRender(
    {
      from: 0,
      to: n,
      segmentLength: request.window,
      segmentOverlap: strategy === 'independent' ? 0 : overlap,
      strategy,
      anchorFrame: -1,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('renderVideo') },
  );
  const target = colourStats(request.reference);
  let driftBefore = 0;
  let driftAfter = 0;
  const worker = new DiffusionWorker(
    'renderVideo',
    generator,
    {
      reference: request.reference,
      referencePose: firstPerson(request.referencePose),
      prompt: request.prompt,
      ...(request.negativePrompt !== undefined ? { negativePrompt: request.negativePrompt } : {}),
      seed: request.seed,
      steps: request.steps,
      guidanceScale: request.guidanceScale,
      conditioningScale: request.conditioningScale ?? 1,
      sampler: request.sampler ?? 'ddim',
      crossFrame: request.crossFrame ?? 'off',
      init: request.init ?? 'noise',
      extraReferences: (request.extraReferences ?? []).map((r) => ({
        image: r.image,
        pose: firstPerson(r.pose),
      })),
      latentEdit: request.latentEdit ?? true,
      referenceTimestep: request.referenceTimestep ?? 0,
      memoryBudgetBytes: request.memoryBudgetBytes ?? null,
      ...(request.stickWidth ? { stickWidth: request.stickWidth } : {}),
      ...(request.referenceMode ? { referenceMode: request.referenceMode } : {}),
      ...(request.styleFidelity !== undefined ? { styleFidelity: request.styleFidelity } : {}),
      ...(request.referenceAdain !== undefined ? { referenceAdain: request.referenceAdain } : {}),
    },
    (raw, delivered) => {
      const before = colourDrift(colourStats(raw), target);
      driftBefore += before;
      driftAfter += delivered === raw ? before : colourDrift(colourStats(delivered), target);
    },
  );

  const segments = plan.segments;
  const done = new Map<number, RgbImage[]>();
  const rendered = new Set<number>();
  const delivered = new Set<number>();
  // Segments still to consume each segment's frames (chained / interleaved dependencies).
  const readers = segments.map(() => 0);
  for (const s of segments) for (const d of s.after) readers[d]!++;
  const release = (i: number) => {
    if (delivered.has(i) && readers[i] === 0) done.delete(i);
  };
  const frames: RgbImage[] = [];
  let next = 0;
  const deliver = async () => {
    for (; next < segments.length && done.has(next); next++) {
      const seg = segments[next]!;
      for (const [k, image] of done.get(next)!.entries()) {
        if (sink) await sink(seg.start + k, image);
        else frames.push(image);
      }
      delivered.add(next);
      release(next);
    }
  };
  const requestOf = (i: number): SegmentRequest => {
    const seg = segments[i]!;
    return {
      jobId: 'renderVideo',
      segment: seg,
      poses: request.poses.slice(seg.windowStart, seg.windowEnd).map(firstPerson),
      dependencies: seg.after.map((d) => done.get(d)!),
      plan: {
        strategy,
        segmentLength: plan.settings.segmentLength,
        segmentOverlap: plan.settings.segmentOverlap,
      },
    };
  };
  const signal = new AbortController().signal;
  for (const i of launchOrder(plan)) {
    if (rendered.has(i)) continue; // rendered with its fusion group
    const seg = segments[i]!;
    const members = [i, ...seg.coupled].sort((a, b) => a - b);
    const out =
      members.length > 1
        ? await worker.renderGroup(members.map(requestOf), signal)
        : [await worker.renderSegment(requestOf(i), signal)];
    members.forEach((m, k) => {
      done.set(m, out[k]!);
      rendered.add(m);
    });
    for (const m of members)
      for (const d of segments[m]!.after) {
        readers[d]!--;
        release(d);
      }
    await deliver();
  }

  const s = worker.stats;
  const steps = request.steps;
  return {
    frames,
    plan,
    stats: {
      unetCalls: s.unetCalls,
      unetItems: s.unetItems,
      itemsPerCall: s.itemsPerCall,
      controlnetCalls: s.controlnetCalls,
      framePredictions: s.framePredictions,
      referencePasses: s.referencePasses,
      hostMs: s.hostMs,
      feedbackPasses: s.feedbackPasses,
      predictionsPerFrameStep:
        (s.framePredictions - s.anchorPredictions - s.inversionPredictions) / (n * steps),
      ...(s.anchorSegmentFrames > 0
        ? {
            anchorPredictionsPerFrameStep:
              s.anchorSegmentPredictions / (s.anchorSegmentFrames * steps),
          }
        : {}),
      bankFromCache: s.referencePasses === 0,
      bankTokens: s.bankTokens,
      colourDriftBefore: driftBefore / n,
      colourDriftAfter: driftAfter / n,
    },
  };
}
