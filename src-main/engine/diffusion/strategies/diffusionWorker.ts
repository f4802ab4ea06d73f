import type { RgbImage } from '#shared/image/rgbImage';
import { colourStats, correctColourDrift } from '#shared/diffusion/latents/colourDrift';
import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import { sampleFused } from '#shared/diffusion/longVideo/fusedSampler';
import {
  sampleWithHeldFrames,
  type HeldFrame,
} from '#shared/diffusion/longVideo/interleavedSampler';
import { ANCHOR_FRAME, type WindowPredictor } from '#shared/diffusion/longVideo/windowPredictor';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { createSampler, type SamplerKind } from '#shared/diffusion/schedulers/createSampler';
import type { CrossFrameMode, ReferenceMode } from '#shared/project/schema';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import { renderConditioning, stickScaleFor, type StickWidth } from '#shared/pose/conditioning';
import type { PoseFrame } from '#shared/pose/types';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import { joinBanks, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import { conditionCache } from '#main/engine/diffusion/pipeline/conditionCache';
import {
  Denoiser,
  type DenoiserStats,
  type TextConditioning,
} from '#main/engine/diffusion/pipeline/denoiser';
import type { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { encodePrompt } from '#main/engine/diffusion/pipeline/textConditioning';
import { decodeLatents, encodeImage } from '#main/engine/diffusion/pipeline/vae';
import { memoryInputs } from '#main/engine/diffusion/pipeline/packMemory';
import { memoryReport } from '#shared/diffusion/memory/memoryReport';
import { InitialLatents, type InitialLatentSettings } from './initialLatents';
import { ReferenceFidelity } from './referenceFidelity';

/** What every segment of one diffusion render shares. */
export interface DiffusionWorkerSettings extends InitialLatentSettings {
  prompt: string;
  negativePrompt?: string;
  steps: number;
  guidanceScale: number;
  conditioningScale?: number;
  sampler?: SamplerKind;
  crossFrame?: CrossFrameMode;
  /** Timestep of the reference pass (default 0: clean reference features, as ReferenceNet uses). */
  referenceTimestep?: number;
  /**
   * Most bytes the render may use (the `memoryBudgetGB` setting resolved for this device); UNet
   * calls are split into micro-batches to stay under it. Absent or null: off (one call per step).
   */
  memoryBudgetBytes?: number | null;
  /** Limb thickness of the conditioning images (default `classic`, the SD1.5 annotator's). */
  stickWidth?: StickWidth;
  /** Bank from the clean reference once (default) or per step from it noised; see ReferenceFidelity. */
  referenceMode?: ReferenceMode;
  /** Style fidelity 0…1 of the unconditional half (default 0); see DenoiserOptions. */
  styleFidelity?: number;
  /** AdaIN of each prediction's clean latent to the reference latent's statistics (default off). */
  referenceAdain?: boolean;
}

/** What a worker has done so far (the benchmark's and renderVideo's counters). */
export interface DiffusionWorkerStats extends DenoiserStats {
  /** Writer passes on generated frames (chained feedback), besides the reference pass. */
  feedbackPasses: number;
  /** Predictions of the fused anchor (context every fused window carries, not a frame). */
  anchorPredictions: number;
  /** `interleaved` anchor segments: frames sampled and their predictions. */
  anchorSegmentFrames: number;
  anchorSegmentPredictions: number;
  /** PoseCrafter's DDIM inversion of the references (`inverted-reference`, once per worker). */
  inversionPredictions: number;
  /** Tokens of the reference bank of the last call. */
  bankTokens: number;
  /** Most UNet items a call may take under the memory budget (largest over the worker's calls; Infinity = off). */
  itemsPerCall: number;
}

/**
 * Called with each delivered frame as decoded and as delivered (after the colour correction of a
 * chained window): renderVideo measures colour drift with it.
 */
export type DecodedFrameObserver = (raw: RgbImage, delivered: RgbImage) => void;

/** What every call of a worker prepares: denoiser, prompt embeddings and the reference bank. */
interface Prepared {
  denoiser: Denoiser;
  /** The bank at each step and the AdaIN of predictions (the reference settings). */
  fidelity: ReferenceFidelity;
  /** Frames per VAE decoder call under the memory budget. */
  framesPerDecode: number;
  text: TextConditioning;
  bank: ReferenceBank;
  referenceCondition: Float32Array | null;
  referenceLatent: Float32Array;
  sampler: Sampler;
  /** A pose on the output canvas as a PoseFrame. */
  frame(points: Float64Array): PoseFrame;
  /** Its ControlNet conditioning image (null without ControlNet). */
  condition(pose: PoseFrame): Float32Array | null;
}

/**
 * The diffusion generator behind the segment scheduler's RenderWorker interface: anchors and
 * chunks are sampled alone; `interleaved` transitions hold their outer frames to the neighbours'
 * delivered frames (VAE-encoded); `chained` windows put the previous segment's frames into the
 * reference bank as feedback and correct colour drift; a `fused` fusion group is denoised in one
 * loop by `renderGroup` (the generator's fused sampler over the group's frames). The reference
 * bank is computed once and kept by the generator for every segment.
 */
export class DiffusionWorker implements RenderWorker {
  readonly stats: DiffusionWorkerStats = {
    unetCalls: 0,
    unetItems: 0,
    controlnetCalls: 0,
    framePredictions: 0,
    referencePasses: 0,
    hostMs: 0,
    feedbackPasses: 0,
    anchorPredictions: 0,
    anchorSegmentFrames: 0,
    anchorSegmentPredictions: 0,
    inversionPredictions: 0,
    bankTokens: 0,
    itemsPerCall: 0,
  };
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

  /**
   * What every call needs. `call`: the largest batch its denoiser calls will get (frames of a
   * window, the fused anchor) and the reference copies in the bank (chained feedback adds some),
   * for the memory budget's split.
   */
  private async prepare(call: {
    frames: number;
    anchor: boolean;
    bankCopies: number;
  }): Promise<Prepared> {
    const s = this.settings;
    const { width, height } = s.reference;
    const memory = memoryReport(
      memoryInputs(this.generator.memory, {
        width,
        height,
        bankCopies: call.bankCopies,
        crossFrame: s.crossFrame === 'previous',
      }),
      { windowFrames: call.frames, anchor: call.anchor, guided: s.guidanceScale !== 1 },
      s.memoryBudgetBytes ?? null,
    );
    this.stats.itemsPerCall = Math.max(this.stats.itemsPerCall, memory.plan.itemsPerCall);
    const frame = (points: Float64Array): PoseFrame => ({
      width,
      height,
      people: [{ id: 0, points }],
    });
    const pack = this.generator.pack;
    const denoiser = new Denoiser(pack, this.generator.unet, {
      guidanceScale: s.guidanceScale,
      conditioningScale: s.conditioningScale ?? 1,
      latentHeight: height / 8,
      latentWidth: width / 8,
      maxItemsPerCall: memory.plan.itemsPerCall,
      styleFidelity: s.styleFidelity ?? 0,
    });
    const text = await encodePrompt(
      pack,
      s.prompt,
      denoiser.usesGuidance ? (s.negativePrompt ?? '') : null,
    );
    const withControl = pack.signatures.controlnet !== null;
    const drawing = { stickScale: stickScaleFor(s.stickWidth ?? 'classic') };
    const condition = (pose: PoseFrame) =>
      withControl ? imageToPlanar(renderConditioning(pose, drawing), 0, 1) : null;
    const { bank, referenceCondition, referenceLatent } = await this.generator.referenceBank(
      denoiser,
      text,
      s.reference,
      frame(s.referencePose),
      s.conditioningScale ?? 1,
      s.referenceTimestep ?? 0,
      s.stickWidth ?? 'classic',
    );
    const sampler = createSampler(s.sampler ?? 'ddim', pack.manifest.scheduler, s.steps);
    this.stats.bankTokens = bank.tokens;
    const fidelity = new ReferenceFidelity({
      mode: s.referenceMode ?? 'clean',
      adain: s.referenceAdain ?? false,
      seed: s.seed,
      denoiser,
      sampler,
      scheduler: pack.manifest.scheduler,
      text,
      referenceLatent,
      referenceCondition,
      cleanBank: bank,
    });
    return {
      denoiser,
      fidelity,
      framesPerDecode: memory.plan.framesPerDecode,
      text,
      bank,
      referenceCondition,
      referenceLatent,
      sampler,
      frame,
      condition,
    };
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
    const prepared = await this.prepare({
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

    const prepared = await this.prepare({
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
    const held = await this.heldBoundary(requests[0]!, from, latentSize);
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

  /**
   * A fusion group that continues the previous one (its first window is `after` the previous
   * group's last segment): the frames before the first delivered one, [windowStart, start), were
   * generated and delivered by the previous group, so they are held to those frames (VAE-encoded)
   * at every step. The noise that brings a held frame to a step's level is the frame's own seeded
   * initial noise — the noise the previous group started that frame from — so with DDIM the held
   * latent is close to where the previous group's trajectory was at that step.
   */
  private async heldBoundary(
    req: SegmentRequest,
    from: number,
    latentSize: number,
  ): Promise<HeldFrame[]> {
    const seg = req.segment;
    if (seg.after.length === 0) return [];
    const lead = seg.start - seg.windowStart;
    const previous = req.dependencies[0];
    if (seg.after.length !== 1 || !previous || previous.length < lead)
      throw new RangeError(
        `fusion group from segment ${seg.index} continues segment ${seg.after.join(', ')}: ` +
          `it needs that segment's last ${lead} frames, got ${previous?.length ?? 'no'} frames`,
      );
    const pack = this.generator.pack;
    const held: HeldFrame[] = [];
    for (const [k, image] of previous.slice(previous.length - lead).entries()) {
      const frame = seg.windowStart + k;
      held.push({
        position: frame - from,
        clean: await encodeImage(pack, image),
        noise: frameNoise(this.settings.seed, frame, latentSize),
      });
    }
    return held;
  }

  async close(): Promise<void> {
    // The generator (and its sessions) belongs to whoever opened it.
  }
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
}
