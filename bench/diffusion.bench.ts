/**
 * Diffusion generator benchmark (`npm run bench:diffusion`) on the tiny fixture pack (built into a
 * temp dir): denoiser calls per frame per step for each strategy, reference passes per render,
 * our overhead per denoiser call (time outside ONNX Runtime), the seam score of fixture renders,
 * peak memory of `interleaved` at 64 vs 2,048 frames, and of `fused` through the segment runner
 * (held groups at 64 and 2,048 frames, one group at 2,048), each in its own process.
 * Prints `name: value` lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import {
  renderVideo,
  type DiffusionRenderRequest,
} from '#main/engine/diffusion/strategies/renderVideo';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import { attentionFormChild, attentionFormsBench } from './diffusionAttentionForms';
import { budgetChild, memoryBudgetBench } from './diffusionMemoryBudget';
import type { RenderStrategy } from '#shared/render/strategy';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import type { RgbImage } from '#shared/image/rgbImage';
import { sampleFused } from '#shared/diffusion/longVideo/fusedSampler';
import type { WindowPredictor } from '#shared/diffusion/longVideo/windowPredictor';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { DdimScheduler } from '#shared/diffusion/schedulers/ddimScheduler';
import { sd15SchedulerConfig } from '#shared/diffusion/schedulers/schedulerConfig';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';
import { meanAbsDiff } from '#shared/render/coherence/frameDifference';
import { hashOf } from '#shared/render/hash';
import { planRender } from '#shared/render/plan';
import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';

function pose(phase: number): PoseFrame {
  const p = createPerson();
  const set = (j: number, x: number, y: number) => setPoint(p.points, j, x, y, 1);
  const lift = 6 * Math.sin(phase);
  set(Joint.nose, 32, 10);
  set(Joint.neck, 32, 18);
  set(Joint.rShoulder, 24, 18);
  set(Joint.lShoulder, 40, 18);
  set(Joint.rElbow, 18, 26 - lift);
  set(Joint.lElbow, 46, 26 + lift);
  set(Joint.rWrist, 14, 34 - 2 * lift);
  set(Joint.lWrist, 50, 34 + 2 * lift);
  set(Joint.rHip, 28, 38);
  set(Joint.lHip, 36, 38);
  set(Joint.rKnee, 27 + lift / 2, 48);
  set(Joint.lKnee, 37 - lift / 2, 48);
  set(Joint.rAnkle, 27, 58);
  set(Joint.lAnkle, 37, 58);
  return { width: 64, height: 64, people: [p] };
}

function picture(): RgbImage {
  const data = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) data.set([(i * 7) % 256, (i >> 6) * 4, 128], i * 3);
  return { width: 64, height: 64, data };
}

function request(
  frames: number,
  strategy: RenderStrategy,
  over: Partial<DiffusionRenderRequest> = {},
): DiffusionRenderRequest {
  return {
    reference: picture(),
    referencePose: pose(0),
    poses: Array.from({ length: frames }, (_, f) => pose(f * 0.3)),
    prompt: 'a dancer',
    seed: 1,
    steps: 4,
    guidanceScale: 1,
    window: 16,
    overlap: 4,
    strategy,
    ...over,
  };
}

/** Adds the time spent inside `run` of each session to `clock.ms`. */
function timeRuns(sessions: (InferenceSession | null)[], clock: { ms: number }): void {
  for (const s of sessions) {
    if (!s) continue;
    const run = s.run.bind(s) as (...a: unknown[]) => Promise<unknown>;
    (s as { run: unknown }).run = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await run(...a);
      } finally {
        clock.ms += performance.now() - t0;
      }
    };
  }
}

/**
 * Scheduler overhead at SD1.5 size (512×512 → 4×64×64 latents), T = 16, O = 4, 64 frames, DDIM:
 * fusion (weights, normalised accumulation) and the global step per window call, with a model
 * that costs nothing — what our code adds to each real denoiser call. Run 5 times: the first
 * includes JIT warm-up; the median of the others is the steady state of a long render.
 */
async function schedulerOverhead(): Promise<void> {
  const size = 4 * 64 * 64;
  const sampler = new DdimScheduler(sd15SchedulerConfig, 10);
  const prediction = frameNoise(7, 0, size);
  const perCall: number[] = [];
  for (let run = 0; run < 5; run++) {
    let calls = 0;
    const initial = Array.from({ length: 64 }, (_, f) => frameNoise(1, f, size));
    const anchor = frameNoise(1, -1, size);
    const t0 = performance.now();
    await sampleFused({
      sampler,
      initial,
      anchor,
      window: 16,
      overlap: 4,
      shift: true,
      predict: async (latents) => {
        calls++;
        return latents.map(() => prediction);
      },
    });
    perCall.push((performance.now() - t0) / calls);
  }
  const warm = perCall.slice(1).sort((a, b) => a - b);
  const median = (warm[1]! + warm[2]!) / 2;
  console.log(
    `scheduler overhead per denoiser call at 512×512, fused T=16 (ms): ${median.toFixed(2)} (target ≤ 2; first run with JIT warm-up ${perCall[0]!.toFixed(2)})`,
  );
}

/**
 * `fused` through the segment scheduler: fusion groups of 2 windows (T = 16, O = 4, 64 frames →
 * windows at 0, 12, 24, 36, 48; groups [0 1] [2 3] [4]), each group one DiffusionWorker call, in
 * order. Two ways to meet at a group boundary: `cut` (groups sampled alone, split mid-overlap —
 * before) and `held` (holdGroupBoundaries: a group holds the overlap frames to the previous
 * group's delivered frames — after). Mean |x_t − x_{t−1}| at the first delivered frame of a
 * group vs at a segment boundary inside a group, each over the mean of ordinary frame pairs; how
 * far the grouped frames are from a render of all 64 frames as one group; and UNet batch items
 * per delivered frame per step (anchor and held frames included).
 */
async function groupBoundarySeams(generator: DiffusionGenerator): Promise<void> {
  const frames = 64;
  const steps = 4;
  const points = (f: number) => pose(f * 0.3).people[0]!.points;
  let batchItems = 0;
  // Denoiser calls only (bank passes run on the same session but not through run()).
  const reader = generator.unet;
  const run = reader.run.bind(reader) as (...a: unknown[]) => Promise<unknown>;
  (reader as { run: unknown }).run = (...a: unknown[]) => {
    const feeds = a[0] as Record<string, { dims: readonly number[] }>;
    batchItems += Number(feeds['sample']?.dims[0] ?? 0);
    return run(...a);
  };
  for (const crossFrame of ['off', 'previous'] as const) {
    const worker = new DiffusionWorker('bench', generator, {
      reference: picture(),
      referencePose: points(0),
      prompt: 'a dancer',
      seed: 1,
      steps,
      guidanceScale: 1,
      crossFrame,
    });
    const plans = {
      cut: planOf(frames, 2, false),
      held: planOf(frames, 2, true),
      whole: planOf(frames, undefined, false),
    };
    const render = async (plan: ReturnType<typeof planOf>) => {
      const delivered = new Map<number, RgbImage[]>();
      for (const g of groupsOf(plan)) {
        const requests = g.map((i) => {
          const segment = plan.segments[i]!;
          return {
            jobId: 'bench',
            segment,
            poses: Array.from({ length: segment.windowEnd - segment.windowStart }, (_, k) =>
              points(segment.windowStart + k),
            ),
            dependencies: segment.after.map((d) => delivered.get(d)!),
            plan: { strategy: 'fused' as const, segmentLength: 16, segmentOverlap: 4 },
          };
        });
        const out = await worker.renderGroup(requests, new AbortController().signal);
        g.forEach((i, k) => delivered.set(i, out[k]!));
      }
      return plan.segments.flatMap((s) => delivered.get(s.index)!);
    };
    const whole = await render(plans.whole);
    for (const mode of ['cut', 'held'] as const) {
      const plan = plans[mode];
      batchItems = 0;
      const grouped = await render(plan);
      const perFrameStep = batchItems / (frames * steps);
      const groupStarts = new Set(
        groupsOf(plan)
          .slice(1)
          .map((g) => plan.segments[g[0]!]!.start),
      );
      const insideStarts = new Set(
        plan.segments.map((s) => s.start).filter((f) => f > 0 && !groupStarts.has(f)),
      );
      // The same frame positions in the one-group render: what the score is there without any
      // group boundary (few boundaries make this measure noisy; compare against it).
      const score = (video: RgbImage[], at: Set<number>) => {
        const step = (f: number) => meanAbsDiff(video[f - 1]!.data, video[f]!.data);
        const mean = (fs: number[]) => fs.reduce((a, f) => a + step(f), 0) / Math.max(1, fs.length);
        const all = Array.from({ length: frames - 1 }, (_, k) => k + 1);
        const ordinary = mean(all.filter((f) => !groupStarts.has(f) && !insideStarts.has(f)));
        return (mean([...at]) / ordinary).toFixed(3);
      };
      const fromWhole = grouped.map((img, f) => meanAbsDiff(img.data, whole[f]!.data));
      console.log(
        `fused via scheduler (groups of 2 windows, cross-frame ${crossFrame}, ${mode}) seam score at group boundaries: ${score(grouped, groupStarts)} (one-group render at the same frames: ${score(whole, groupStarts)}); at segment boundaries inside a group: ${score(grouped, insideStarts)}; max mean |grouped − one group| per frame: ${Math.max(...fromWhole).toFixed(3)} (0–255); UNet batch items per frame per step: ${perFrameStep.toFixed(3)}`,
      );
    }
  }
  (reader as { run: unknown }).run = run;
}

/**
 * The same group arrangement in latent space with a toy model whose frames strongly interact (it
 * predicts each window's mean latent as the content of all its frames, so separately sampled
 * windows meet at visible steps) — what the tiny pack cannot show: 60 frames, T = 12, O = 4,
 * groups of 2 windows, 8 DDIM steps. Summed |step| at group boundaries over the mean elsewhere.
 */
async function toyGroupSeams(): Promise<void> {
  const SIZE = 16;
  const sampler = new DdimScheduler(sd15SchedulerConfig, 8);
  const init = (f: number) => frameNoise(11, f + 1, SIZE);
  const model: WindowPredictor = async (latents, _frames, step) => {
    const a = sampler.alphaCumprod(sampler.timesteps[step]!);
    const mean = new Float32Array(SIZE);
    for (const l of latents)
      for (let i = 0; i < SIZE; i++) mean[i] = mean[i]! + l[i]! / latents.length;
    return latents.map((l) => l.map((v, i) => (v - Math.sqrt(a) * mean[i]!) / Math.sqrt(1 - a)));
  };
  const n = 60;
  const plan = planRender(
    {
      from: 0,
      to: n,
      segmentLength: 12,
      segmentOverlap: 4,
      strategy: 'fused',
      anchorFrame: -1,
      fusionGroupWindows: 2,
      holdGroupBoundaries: true,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('toy') },
  );
  const groups = groupsOf(plan).map((g) => ({
    from: plan.segments[g[0]!]!.windowStart,
    to: plan.segments[g.at(-1)!]!.windowEnd,
    start: plan.segments[g[0]!]!.start,
  }));
  const sample = async (from: number, to: number, held: Float32Array[]) =>
    (
      await sampleFused({
        sampler,
        initial: Array.from({ length: to - from }, (_, k) => init(from + k)),
        anchor: null,
        window: 12,
        overlap: 4,
        shift: true,
        predict: model,
        held: held.map((clean, k) => ({ position: k, clean, noise: init(from + k) })),
      })
    ).latents;
  const cut: Float32Array[] = [];
  const joined: Float32Array[] = [];
  const cutStarts: number[] = [];
  for (const [g, { from, to, start }] of groups.entries()) {
    const alone = await sample(from, to, []);
    // cut: split the overlap mid-way, as plans without holding do
    const split = g === 0 ? 0 : Math.floor((from + groups[g - 1]!.to) / 2);
    if (g > 0) cutStarts.push(split);
    cut.length = split;
    cut.push(...alone.slice(split - from));
    const out = await sample(from, to, joined.slice(from, start));
    joined.length = start;
    joined.push(...out.slice(start - from));
  }
  const whole = await sample(0, n, []);
  const score = (video: Float32Array[], at: number[]) => {
    const d = (t: number) => video[t]!.reduce((a, v, i) => a + Math.abs(v - video[t - 1]![i]!), 0);
    const seam = at.reduce((a, t) => a + d(t), 0) / at.length;
    const rest = Array.from({ length: n - 1 }, (_, k) => k + 1).filter((t) => !at.includes(t));
    return (seam / (rest.reduce((a, t) => a + d(t), 0) / rest.length)).toFixed(2);
  };
  const heldStarts = groups.slice(1).map((g) => g.start);
  console.log(
    `toy video model (latent space, T=12, O=4, groups of 2 windows) seam score at group boundaries: cut ${score(cut, cutStarts)}, held ${score(joined, heldStarts)}; one-group render at the same frames: ${score(whole, cutStarts)} / ${score(whole, heldStarts)}`,
  );
}

function planOf(frames: number, groupWindows: number | undefined, held: boolean) {
  return planRender(
    {
      from: 0,
      to: frames,
      segmentLength: 16,
      segmentOverlap: 4,
      strategy: 'fused',
      anchorFrame: -1,
      ...(groupWindows ? { fusionGroupWindows: groupWindows } : {}),
      holdGroupBoundaries: held,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('bench') },
  );
}

/** The plan's fusion groups (segment indices), in order. */
function groupsOf(plan: ReturnType<typeof planOf>): number[][] {
  const firsts = [...new Set(plan.segments.map((s) => Math.min(s.index, ...s.coupled)))];
  return firsts.map((first) =>
    plan.segments.filter((s) => Math.min(s.index, ...s.coupled) === first).map((s) => s.index),
  );
}

/**
 * Peak RSS of a `fused` render through the segment runner (segment cache on disk, frames
 * dropped on delivery) at 128×128, T = 16, O = 4, 2 steps: groups of 8 windows joined by held
 * frames (the project setting) or, with `one`, every window in one group (memory ∝ length).
 */
async function fusedMemoryChild(packDir: string, frames: number, one: boolean): Promise<void> {
  const [{ Dispatcher }, { SegmentCache }, { runSegments }] = await Promise.all([
    import('#main/scheduler/workers/dispatcher'),
    import('#main/scheduler/cache/segmentCache'),
    import('#main/scheduler/segmentRunner'),
  ]);
  const generator = await DiffusionGenerator.open(
    packDir,
    new LocalSessionProvider({ intraOpNumThreads: 1 }),
    { bankCacheDir: null },
  );
  const size = 128;
  const scale = size / 64;
  const points = (f: number) =>
    pose(f * 0.3).people[0]!.points.map((v, i) => (i % 3 === 2 ? v : v * scale));
  const reference: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3) };
  reference.data.forEach((_, i, d) => (d[i] = (i * 7) % 256));
  const worker = new DiffusionWorker('bench', generator, {
    reference,
    referencePose: points(0),
    prompt: 'a dancer',
    seed: 1,
    steps: 2,
    guidanceScale: 1,
  });
  const plan = planOf(frames, one ? undefined : 8, !one);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fused-mem-'));
  let delivered = 0;
  try {
    await runSegments({
      jobId: 'bench',
      plan,
      cache: new SegmentCache(dir),
      dispatcher: new Dispatcher([worker]),
      poses: (s) =>
        Array.from({ length: s.windowEnd - s.windowStart }, (_, k) => points(s.windowStart + k)),
      deliver: async (_s, f) => void (delivered += f.length),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await generator.dispose();
  process.stdout.write(
    JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, last: delivered }) + '\n',
  );
}

async function memoryChild(packDir: string, frames: number): Promise<void> {
  const generator = await DiffusionGenerator.open(
    packDir,
    new LocalSessionProvider({ intraOpNumThreads: 1 }),
  );
  let last = 0;
  await renderVideo(generator, request(frames, 'interleaved', { steps: 2 }), (f) => {
    last = f;
  });
  await generator.dispose();
  process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, last }) + '\n');
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-diffusion-'));
  try {
    const packDir = await buildTinyPack(join(root, 'pack'));
    const generator = await DiffusionGenerator.open(
      packDir,
      new LocalSessionProvider({ intraOpNumThreads: 1 }),
      {
        bankCacheDir: null,
      },
    );
    const clock = { ms: 0 };
    timeRuns(
      [
        generator.unet.session,
        generator.pack.sessions.controlnet,
        generator.pack.sessions.vaeDecoder,
        generator.pack.sessions.vaeEncoder,
        generator.pack.sessions.textEncoder,
      ],
      clock,
    );
    console.log(
      `load average (1 min) at start: ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`,
    );
    const frames = 64;
    for (const strategy of ['independent', 'fused', 'interleaved', 'chained'] as const) {
      const meter = new CoherenceMeter({
        boundaries: Array.from({ length: frames / 16 }, (_, k) => 16 * k).filter((b) => b > 0),
      });
      clock.ms = 0;
      const t0 = performance.now();
      const result = await renderVideo(generator, request(frames, strategy), (_, image) =>
        meter.add(image),
      );
      const total = performance.now() - t0;
      const s = result.stats;
      const overhead = (total - clock.ms) / s.unetCalls;
      console.log(`${strategy} frames: ${frames} (T=16, O=4, 4 steps)`);
      console.log(
        `${strategy} denoiser calls per frame per step: ${s.predictionsPerFrameStep.toFixed(3)}`,
      );
      if (s.anchorPredictionsPerFrameStep !== undefined)
        console.log(
          `${strategy} denoiser calls per anchor frame per step: ${s.anchorPredictionsPerFrameStep.toFixed(3)} (target 1; transitions carry their held frames for context)`,
        );
      console.log(`${strategy} reference passes per render: ${s.referencePasses}`);
      if (strategy === 'chained') {
        console.log(`${strategy} feedback passes: ${s.feedbackPasses}`);
        console.log(
          `${strategy} colour drift ΔE before/after correction: ${s.colourDriftBefore.toFixed(2)} / ${s.colourDriftAfter.toFixed(2)}`,
        );
      }
      console.log(`${strategy} UNet calls: ${s.unetCalls}`);
      console.log(
        `${strategy} denoiser host time per call (ms; batching, conditioning, guidance): ${(s.hostMs / s.unetCalls).toFixed(2)}`,
      );
      console.log(
        `${strategy} all time outside ORT per denoiser call (ms; incl. decode, colour, seam meter): ${overhead.toFixed(2)}`,
      );
      console.log(`${strategy} render time (s): ${(total / 1000).toFixed(2)}`);
      console.log(
        `${strategy} seam score (16-frame boundaries): ${meter.report().seams.score?.toFixed(3) ?? 'n/a'}`,
      );
    }
    console.log(`fused target T/(T−O): ${(16 / 12).toFixed(3)}`);
    // With an image UNet, frames only interact through cross-frame attention: seams then exist.
    for (const strategy of ['independent', 'fused', 'interleaved'] as const) {
      const meter = new CoherenceMeter({ boundaries: [16, 32, 48] });
      await renderVideo(
        generator,
        request(frames, strategy, { crossFrame: 'previous' }),
        (_, image) => meter.add(image),
      );
      console.log(
        `${strategy} seam score with cross-frame attention: ${meter.report().seams.score?.toFixed(3) ?? 'n/a'}`,
      );
    }
    await groupBoundarySeams(generator);
    await toyGroupSeams();
    await schedulerOverhead();
    await generator.dispose();

    if (process.argv.includes('--quick')) return;
    const self = fileURLToPath(import.meta.url);
    const peak: Record<number, number> = {};
    for (const n of [64, 2048]) {
      const t0 = performance.now();
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--memory', packDir, String(n)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
      const line = child.stdout.trim().split('\n').at(-1)!;
      const { maxRssKb } = JSON.parse(line) as { maxRssKb: number };
      peak[n] = maxRssKb;
      console.log(
        `interleaved peak RSS at ${n} frames (MB): ${(maxRssKb / 1024).toFixed(1)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
    console.log(
      `interleaved peak memory ratio 2048/64 frames: ${(peak[2048]! / peak[64]!).toFixed(3)} (target ≤ 1.2)`,
    );
    const fusedPeak: Record<string, number> = {};
    for (const [n, mode] of [
      [64, 'groups'],
      [2048, 'groups'],
      [2048, 'one'],
    ] as const) {
      const t0 = performance.now();
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--fused-memory', packDir, String(n), mode],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      if (child.status !== 0) throw new Error(`fused memory child failed: ${child.stderr}`);
      const { maxRssKb, last } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
        maxRssKb: number;
        last: number;
      };
      if (last !== n) throw new Error(`fused memory child delivered ${last} of ${n} frames`);
      fusedPeak[`${n} ${mode}`] = maxRssKb;
      console.log(
        `fused (128², T=16, O=4, ${mode === 'one' ? 'one group' : 'held groups of 8 windows'}) peak RSS at ${n} frames (MB): ${(maxRssKb / 1024).toFixed(1)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
    console.log(
      `fused held groups peak memory ratio 2048/64 frames: ${(fusedPeak['2048 groups']! / fusedPeak['64 groups']!).toFixed(3)}`,
    );
    await memoryBudgetBench(self, packDir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const memoryArg = process.argv.indexOf('--memory');
const budgetMemoryArg = process.argv.indexOf('--budget-memory');
const attentionFormArg = process.argv.indexOf('--attention-form');
const fusedMemoryArg = process.argv.indexOf('--fused-memory');
if (budgetMemoryArg >= 0)
  await budgetChild(process.argv[budgetMemoryArg + 1]!, process.argv[budgetMemoryArg + 2]!);
else if (attentionFormArg >= 0)
  await attentionFormChild(
    process.argv[attentionFormArg + 1]!,
    Number(process.argv[attentionFormArg + 2]),
    process.argv[attentionFormArg + 3]!,
  );
else if (process.argv.includes('--attention-forms'))
  attentionFormsBench(fileURLToPath(import.meta.url));
else if (process.argv.includes('--memory-budget-only')) {
  const root = mkdtempSync(join(tmpdir(), 'bench-diffusion-'));
  try {
    await memoryBudgetBench(
      fileURLToPath(import.meta.url),
      await buildTinyPack(join(root, 'pack')),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
} else if (fusedMemoryArg >= 0)
  await fusedMemoryChild(
    process.argv[fusedMemoryArg + 1]!,
    Number(process.argv[fusedMemoryArg + 2]),
    process.argv[fusedMemoryArg + 3] === 'one',
  );
else if (memoryArg >= 0)
  await memoryChild(process.argv[memoryArg + 1]!, Number(process.argv[memoryArg + 2]));
else await main();
