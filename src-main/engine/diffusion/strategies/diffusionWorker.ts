import type { RgbImage } from '#shared/image/rgbImage';
import { colourStats, correctColourDrift } from '#shared/diffusion/latents/colourDrift';
import { sampleFused } from '#shared/diffusion/longVideo/fusedSampler';
import {
  sampleWithHeldFrames,
  type HeldFrame,
} from '#shared/diffusion/longVideo/interleavedSampler';
import { ANCHOR_FRAME, type WindowPredictor } from '#shared/diffusion/longVideo/windowPredictor';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import type { PoseFrame } from '#shared/pose/types';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import { joinBanks, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import { conditionCache } from '#main/engine/diffusion/pipeline/conditionCache';
import type { Denoiser, DenoiserStats } from '#main/engine/diffusion/pipeline/denoiser';
import type { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { decodeLatents, encodeImage } from '#main/engine/diffusion/pipeline/vae';
import { heldBoundary } from './heldBoundary';
import { InitialLatents } from './initialLatents';
import { prepareCall } from './prepareCall';
import {
  emptyWorkerStats,
  type DecodedFrameObserver,
  type DiffusionWorkerSettings,
  type DiffusionWorkerStats,
} from './workerSettings';

/**
 * The diffusion generator behind the segment scheduler's RenderWorker interface: anchors and
 * chunks are sampled alone; `interleaved` transitions hold their outer frames to the neighbours'
 * delivered frames (VAE-encoded); `chained` windows put the previous segment's frames into the
 * reference bank as feedback and correct colour drift; a `fused` fusion group is denoised in one
 * loop by `renderGroup` (the generator's fused sampler over the group's frames). The reference
 * bank is computed once and kept by the generator for every segment.
 */
export class DiffusionWorker implements RenderWorker {
  readonly stats: DiffusionWorkerStats = emptyWorkerStats();
  /** Seeded noise, or PoseCrafter's inverted references (inverted by the first call). */
  private readonly starts: InitialLatents;

  constructor(
    readonly id: string,
    private readonly generator: DiffusionGenerator,
    private readonly settings: DiffusionWorkerSettings,
    private readonly observe?: DecodedFrameObserver,
  ) {
    this.starts = new InitialLatents(generator.pack, settings);
  }

  /** Adds one call's denoiser counters to the worker's. */
  private count(denoiser: Denoiser): void {
    for (const k of Object.keys(denoiser.stats) as (keyof DenoiserStats)[])
      this.stats[k] += denoiser.stats[k];
  }

  /** Decodes delivered latents; `correct` colour-corrects them towards the picture (chained). */
  private async decode(
    latents: Float32Array[],
    correct: boolean,
    framesPerDecode: number,
  ): Promise<RgbImage[]> {
    const { width, height } = this.settings.reference;
    const target = correct ? colourStats(this.settings.reference) : null;
    const images: RgbImage[] = [];
    const pack = this.generator.pack;
    for await (const raw of decodeLatents(pack, latents, height / 8, width / 8, framesPerDecode)) {
      const image = target ? correctColourDrift(raw, target) : raw;
      this.observe?.(raw, image);
      images.push(image);
    }
    return images;
  }

  async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    const { segment } = req;
    const s = this.settings;
    const { width, height } = s.reference;
    if (segment.coupled.length > 0)
      throw new Error(
        `segment ${segment.index} is coupled to segments ${segment.coupled.join(', ')}: a fused ` +
          'window must be rendered with its whole fusion group (renderGroup)',
      );
    // A fused window alone is a fusion group of one: same sampler (anchor in the window) as its
    // neighbours in longer groups, so a group boundary does not change how frames are made.
    if (req.plan?.strategy === 'fused') return (await this.renderGroup([req], signal))[0]!;
    if (req.poses.length !== segment.windowEnd - segment.windowStart)
      throw new RangeError(
        `segment ${segment.index}: ${req.poses.length} poses for a ${segment.windowEnd - segment.windowStart}-frame window`,
      );
    const pack = this.generator.pack;
    const lead = segment.start - segment.windowStart; // frames before the delivered range
    const tail = segment.windowEnd - segment.end; // frames after it
    const isChained = segment.role === 'window' && segment.after.length > 0;
    const prepared = await prepareCall(this.generator, this.settings, this.stats, {
      frames: isChained ? segment.end - segment.start : segment.windowEnd - segment.windowStart,
      anchor: false,
      bankCopies: 1 + (isChained ? lead : 0),
    });
    const { denoiser, text, bank: referenceBank, frame, condition, sampler } = prepared;
    const check = () => {
      if (signal.aborted) throw new CancelledError();
    };
    check();

    let bank: ReferenceBank = referenceBank;
    const feedbackBanks: ReferenceBank[] = [];
    let absolute: number[]; // timeline frames sampled
    let poses: PoseFrame[];
    const held: HeldFrame[] = [];
    if (isChained) {
      // The window's first `lead` frames were generated by the previous segment: they join the bank.
      const previous = req.dependencies[0] ?? [];
      const feedback = previous.slice(Math.max(0, previous.length - lead));
      const banks = [referenceBank];
      for (const [k, image] of feedback.entries()) {
        const pose = frame(req.poses[lead - feedback.length + k]!);
        banks.push(
          await denoiser.writeBank(
            await encodeImage(pack, image),
            0,
            text,
            condition(pose),
            'feedback',
          ),
        );
        this.stats.feedbackPasses++;
      }
      bank = joinBanks(banks);
      feedbackBanks.push(...banks.slice(1));
      absolute = range(segment.start, segment.end);
      poses = req.poses.slice(lead, lead + absolute.length).map(frame);
    } else {
      absolute = range(segment.windowStart, segment.windowEnd);
      poses = req.poses.map(frame);
      if (segment.role === 'transition') {
        const left = req.dependencies[0] ?? [];
        const right = req.dependencies[1] ?? [];
        const leftFrames = left.slice(Math.max(0, left.length - lead));
        if (leftFrames.length !== lead || right.length < tail)
          throw new RangeError(
            `transition ${segment.index} needs ${lead} + ${tail} neighbour frames`,
          );
        const hold = async (image: RgbImage, position: number) =>
          held.push({
            position,
            clean: await encodeImage(pack, image),
            noise: frameNoise(s.seed ^ 0x5eed, absolute[position]!, 4 * (width / 8) * (height / 8)),
          });
        for (const [k, image] of leftFrames.entries()) await hold(image, k);
        for (let k = 0; k < tail; k++) await hold(right[k]!, absolute.length - tail + k);
      }
    }

    const conditions = poses.map(condition);
    const predict: WindowPredictor = (latents, _frames, step) => {
      check();
      const sources =
        s.crossFrame === 'previous' && latents.length > 1
          ? latents.map((_, k) => (k === 0 ? 1 : k - 1))
          : undefined;
      const usable = conditions.every((c): c is Float32Array => c !== null) ? conditions : null;
      return (async () => {
        // `noised`: the reference part of the bank follows the step; chained feedback stays.
        const stepBank =
          s.referenceMode === 'noised'
            ? joinBanks([await prepared.fidelity.bankAt(step), ...feedbackBanks])
            : bank;
        const out = await denoiser.predict(
          latents,
          sampler.timesteps[step]!,
          text,
          usable,
          stepBank,
          sources,
        );
        return prepared.fidelity.adjust(out, latents, step);
      })();
    };
    const start = await this.starts.forCall(prepared, this.stats);
    const initial = absolute.map((f, k) => start(f, poses[k]!));
    const before = denoiser.stats.framePredictions;
    const latents = await sampleWithHeldFrames(sampler, initial, absolute, held, predict);
    check();
    if (segment.role === 'anchor') {
      this.stats.anchorSegmentFrames += absolute.length;
      this.stats.anchorSegmentPredictions += denoiser.stats.framePredictions - before;
    }
    this.count(denoiser);

    const from = isChained ? 0 : lead;
    return this.decode(
      latents.slice(from, from + (segment.end - segment.start)),
      isChained,
      prepared.framesPerDecode,
    );
  }

  /**
   * A fusion group: the frames of its windows, [first.windowStart, last.windowEnd), denoised in
   * one loop with the fused sampler (overlapping windows' predictions blended with triangular
   * weights every step, window grid shifted between steps, the anchor in every window), noise
   * seeded per timeline frame. Each member gets its delivered frames [start, end). A group that
   * continues the previous one holds the frames they share to the previous group's (see
   * heldBoundary): they are sampled for context, not delivered.
   */
  async renderGroup(requests: SegmentRequest[], signal: AbortSignal): Promise<RgbImage[][]> {
    const s = this.settings;
    const { width, height } = s.reference;
    const segs = requests.map((r) => r.segment);
    if (segs.length === 0) return [];
    for (const [k, r] of requests.entries()) {
      const seg = r.segment;
      if (r.poses.length !== seg.windowEnd - seg.windowStart)
        throw new RangeError(
          `segment ${seg.index}: ${r.poses.length} poses for a ${seg.windowEnd - seg.windowStart}-frame window`,
        );
      if (k > 0 && (seg.index !== segs[k - 1]!.index + 1 || seg.start !== segs[k - 1]!.end))
        throw new RangeError(
          `fusion group: segment ${seg.index} does not follow segment ${segs[k - 1]!.index}`,
        );
    }
    const first = segs[0]!;
    const last = segs[segs.length - 1]!;
    const from = first.windowStart;
    const to = last.windowEnd;
    // Every frame of the group once, from whichever window carries it (windows agree on poses).
    const points: (Float64Array | undefined)[] = new Array(to - from);
    for (const r of requests)
      r.poses.forEach((p, k) => (points[r.segment.windowStart - from + k] ??= p));
    const missing = points.findIndex((p) => p === undefined);
    if (missing >= 0) throw new RangeError(`fusion group: no pose for frame ${from + missing}`);
    const window = requests[0]!.plan?.segmentLength ?? first.windowEnd - first.windowStart;
    const overlap =
      requests[0]!.plan?.segmentOverlap ??
      (segs.length > 1 ? first.windowEnd - segs[1]!.windowStart : 0);

    const prepared = await prepareCall(this.generator, this.settings, this.stats, {
      frames: Math.min(window, to - from),
      anchor: true,
      bankCopies: 1,
    });
    const { denoiser, text, referenceCondition, sampler } = prepared;
    const check = () => {
      if (signal.aborted) throw new CancelledError();
    };
    check();
    const latentSize = 4 * (width / 8) * (height / 8);
    // Conditioning images are drawn on demand and only the current windows' are kept (3 × W × H
    // floats each: a long group would otherwise hold one per frame).
    const condition = conditionCache(
      (f: number) =>
        f === ANCHOR_FRAME ? referenceCondition : prepared.condition(prepared.frame(points[f]!)),
      4 * window,
    );
    const predict: WindowPredictor = (latents, frames, step) => {
      check();
      const conditions = frames.map(condition);
      const usable = conditions.every((c): c is Float32Array => c !== null) ? conditions : null;
      this.stats.anchorPredictions += frames.filter((f) => f === ANCHOR_FRAME).length;
      const sources =
        s.crossFrame === 'previous' && frames.length > 1
          ? frames.map((_, k) => (k === 0 ? 1 : k - 1))
          : undefined;
      return (async () => {
        const stepBank = await prepared.fidelity.bankAt(step);
        const out = await denoiser.predict(
          latents,
          sampler.timesteps[step]!,
          text,
          usable,
          stepBank,
          sources,
        );
        return prepared.fidelity.adjust(out, latents, step);
      })();
    };
    const held = await heldBoundary(
      this.generator.pack,
      this.settings.seed,
      requests[0]!,
      from,
      latentSize,
    );
    check();
    const start = await this.starts.forCall(prepared, this.stats);
    const { latents } = await sampleFused({
      sampler,
      initial: range(from, to).map((f) => start(f, prepared.frame(points[f - from]!))),
      anchor: start(ANCHOR_FRAME, null),
      window: Math.min(window, to - from),
      overlap: Math.min(overlap, Math.max(0, Math.min(window, to - from) - 1)),
      shift: true,
      predict,
      held,
    });
    check();
    this.count(denoiser);
    const images = await this.decode(
      latents.slice(first.start - from, last.end - from),
      false,
      prepared.framesPerDecode,
    );
    return segs.map((seg) => images.slice(seg.start - first.start, seg.end - first.start));
  }

  async close(): Promise<void> {
    // The generator (and its sessions) belongs to whoever opened it.
  }
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
}
