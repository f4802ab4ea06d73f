/**
 * Diffusion generator benchmark (`npm run bench:diffusion`) on the tiny fixture pack (built into a
 * temp dir): denoiser calls per frame per step for each strategy, reference passes per render,
 * our overhead per denoiser call (time outside ONNX Runtime), the seam score of fixture renders,
 * and peak memory of `interleaved` at 64 vs 2,048 frames (each in its own process).
 * Prints `name: value` lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { buildTinyPack } from '../native-models/diffusion/tinyPack/buildTinyPack';
import {
  DiffusionGenerator,
  type DiffusionRenderRequest,
} from '../src-main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '../src-main/engine/diffusion/pipeline/diffusionWorker';
import type { DiffusionStrategy } from '../src-main/engine/diffusion/pipeline/strategies';
import { LocalSessionProvider } from '../src-main/engine/diffusion/sessions/localSessionProvider';
import type { RgbImage } from '../src-shared/image/rgbImage';
import { sampleFused } from '../src-shared/diffusion/longVideo/fusedSampler';
import { frameNoise } from '../src-shared/diffusion/noise/seededNoise';
import { DdimScheduler } from '../src-shared/diffusion/schedulers/ddimScheduler';
import { sd15SchedulerConfig } from '../src-shared/diffusion/schedulers/schedulerConfig';
import { meanAbsDiff, SeamMeter } from '../src-shared/render/seam';
import { hashOf } from '../src-shared/render/hash';
import { planRender } from '../src-shared/render/plan';
import { Joint } from '../src-shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '../src-shared/pose/types';

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
  strategy: DiffusionStrategy,
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
 * windows at 0, 12, 24, 36, 48; groups [0 1] [2 3] [4]), each group one DiffusionWorker call.
 * Mean |x_t − x_{t−1}| at the first frame of a group vs at a segment boundary inside a group,
 * each over the mean of ordinary frame pairs, and how far the grouped frames are from a render of
 * all 64 frames as one group.
 */
async function groupBoundarySeams(generator: DiffusionGenerator): Promise<void> {
  const frames = 64;
  const plan = planRender(
    {
      from: 0,
      to: frames,
      window: 16,
      overlap: 4,
      strategy: 'fused',
      anchorFrame: -1,
      fusionGroupWindows: 2,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('bench') },
  );
  const points = (f: number) => pose(f * 0.3).people[0]!.points;
  for (const crossFrame of ['off', 'previous'] as const) {
    const worker = new DiffusionWorker('bench', generator, {
      reference: picture(),
      referencePose: points(0),
      prompt: 'a dancer',
      seed: 1,
      steps: 4,
      guidanceScale: 1,
      crossFrame,
    });
    const render = async (groups: number[][]) => {
      const out: RgbImage[] = [];
      for (const g of groups) {
        const requests = g.map((i) => {
          const segment = plan.segments[i]!;
          return {
            jobId: 'bench',
            segment,
            poses: Array.from({ length: segment.windowEnd - segment.windowStart }, (_, k) =>
              points(segment.windowStart + k),
            ),
            dependencies: [],
            plan: { strategy: 'fused' as const, window: 16, overlap: 4 },
          };
        });
        for (const seg of await worker.renderGroup(requests, new AbortController().signal))
          out.push(...seg);
      }
      return out;
    };
    const groups = [...new Set(plan.segments.map((s) => Math.min(s.index, ...s.coupled)))].map(
      (first) =>
        plan.segments.filter((s) => Math.min(s.index, ...s.coupled) === first).map((s) => s.index),
    );
    const grouped = await render(groups);
    const whole = await render([plan.segments.map((s) => s.index)]);
    const groupStarts = new Set(groups.slice(1).map((g) => plan.segments[g[0]!]!.start));
    const insideStarts = new Set(
      plan.segments.map((s) => s.start).filter((f) => f > 0 && !groupStarts.has(f)),
    );
    const step = (f: number) => meanAbsDiff(grouped[f - 1]!.data, grouped[f]!.data);
    const mean = (fs: number[]) => fs.reduce((a, f) => a + step(f), 0) / Math.max(1, fs.length);
    const all = Array.from({ length: frames - 1 }, (_, k) => k + 1);
    const ordinary = mean(all.filter((f) => !groupStarts.has(f) && !insideStarts.has(f)));
    const maxFromWhole = Math.max(
      ...grouped.map((img, f) => meanAbsDiff(img.data, whole[f]!.data)),
    );
    console.log(
      `fused via scheduler (groups of 2 windows, cross-frame ${crossFrame}) seam score at group boundaries: ${(mean([...groupStarts]) / ordinary).toFixed(3)}; at segment boundaries inside a group: ${(mean([...insideStarts]) / ordinary).toFixed(3)}; max mean |grouped − one group| per frame: ${maxFromWhole.toFixed(3)} (0–255)`,
    );
  }
}

async function memoryChild(packDir: string, frames: number): Promise<void> {
  const generator = await DiffusionGenerator.open(
    packDir,
    new LocalSessionProvider({ intraOpNumThreads: 1 }),
  );
  let last = 0;
  await generator.render(request(frames, 'interleaved', { steps: 2 }), (f) => {
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
        generator.unet.reader,
        generator.unet.writer,
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
      const meter = new SeamMeter(
        Array.from({ length: frames / 16 }, (_, k) => 16 * k).filter((b) => b > 0),
      );
      clock.ms = 0;
      const t0 = performance.now();
      const result = await generator.render(request(frames, strategy), (_, image) =>
        meter.add(image),
      );
      const total = performance.now() - t0;
      const s = result.stats;
      const overhead = (total - clock.ms) / s.unetCalls;
      console.log(`${strategy} frames: ${frames} (T=16, O=4, 4 steps)`);
      console.log(
        `${strategy} denoiser calls per frame per step: ${s.predictionsPerFrameStep.toFixed(3)}`,
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
        `${strategy} seam score (16-frame boundaries): ${meter.score()?.toFixed(3) ?? 'n/a'}`,
      );
    }
    console.log(`fused target T/(T−O): ${(16 / 12).toFixed(3)}`);
    // With an image UNet, frames only interact through cross-frame attention: seams then exist.
    for (const strategy of ['independent', 'fused', 'interleaved'] as const) {
      const meter = new SeamMeter([16, 32, 48]);
      await generator.render(request(frames, strategy, { crossFrame: 'previous' }), (_, image) =>
        meter.add(image),
      );
      console.log(
        `${strategy} seam score with cross-frame attention: ${meter.score()?.toFixed(3) ?? 'n/a'}`,
      );
    }
    await groupBoundarySeams(generator);
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
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const memoryArg = process.argv.indexOf('--memory');
if (memoryArg >= 0)
  await memoryChild(process.argv[memoryArg + 1]!, Number(process.argv[memoryArg + 2]));
else await main();
