/**
 * The diffusion generator in the engine process, against the same generator in this process:
 * real ONNX Runtime sessions on the tiny pack the tests build, the real engine child process,
 * frames compared byte for byte. Bad input, cancel and kill -9 of the engine mid-segment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import {
  EngineClient,
  EngineCrashedError,
  EngineRequestError,
  type DiffusionOpenOptions,
} from '#main/engine/client/engineClient';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import type { DiffusionWorkerSettings } from '#main/engine/diffusion/strategies/workerSettings';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import type { RgbImage } from '#shared/image/rgbImage';
import { hashOf } from '#shared/render/hash';
import { executionOrder, planRender, type RenderPlan } from '#shared/render/plan';
import type { RenderStrategy } from '#shared/render/strategy';
import { tinyPackPose as points } from '#test/helpers/tinyPackPose';

const THREADS = Math.min(2, availableParallelism());
let root: string;
let packDir: string;
let engine: EngineClient;
let local: DiffusionGenerator;

function picture(size: number): RgbImage {
  return {
    width: size,
    height: size,
    data: Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 5 + (i >> 7)) % 256),
  };
}

const settings = { prompt: 'a dancer', seed: 9, steps: 3, guidanceScale: 1 };

function openOptions(over: Partial<DiffusionOpenOptions> = {}): DiffusionOpenOptions {
  return {
    packDir,
    output: { width: 64, height: 64 },
    reference: { image: picture(64) },
    referencePose: points(0),
    settings,
    ...over,
  };
}

function inProcess(s: Partial<DiffusionWorkerSettings> = {}): DiffusionWorker {
  return new DiffusionWorker('local', local, {
    reference: picture(64),
    referencePose: points(0),
    ...settings,
    ...s,
  });
}

/** A worker over an engine generator (no canvas fitting: poses are already on the output). */
function viaEngine(diffusionId: string, client = engine): RenderWorker {
  return {
    id: 'engine',
    renderSegment: async (r, signal) =>
      (await client.renderDiffusionSegment(diffusionId, r, signal)).frames,
    renderGroup: async (rs, signal) =>
      (await client.renderDiffusionGroup(diffusionId, rs, signal)).groups,
    close: async () => undefined,
  };
}

function plan(strategy: RenderStrategy, frames: number, window: number, overlap: number) {
  return planRender(
    {
      from: 0,
      to: frames,
      segmentLength: window,
      segmentOverlap: overlap,
      strategy,
      anchorFrame: -1,
    },
    { frameHash: (f) => hashOf(f), settingsHash: hashOf('s') },
  );
}

function request(p: RenderPlan, index: number, deps: Map<number, RgbImage[]>): SegmentRequest {
  const segment = p.segments[index]!;
  return {
    jobId: 'j',
    segment,
    poses: Array.from({ length: segment.windowEnd - segment.windowStart }, (_, k) =>
      points((segment.windowStart + k) % 5),
    ),
    dependencies: segment.after.map((a) => deps.get(a)!),
    plan: {
      strategy: p.settings.strategy,
      segmentLength: p.settings.segmentLength,
      segmentOverlap: p.settings.segmentOverlap,
    },
  };
}

/** Every segment of a plan in execution order (fusion groups as one renderGroup call). */
async function renderPlan(worker: RenderWorker, p: RenderPlan): Promise<RgbImage[]> {
  const delivered = new Map<number, RgbImage[]>();
  const signal = new AbortController().signal;
  for (const i of executionOrder(p)) {
    if (delivered.has(i)) continue;
    const seg = p.segments[i]!;
    if (seg.coupled.length > 0) {
      const members = [i, ...seg.coupled].sort((a, b) => a - b);
      const groups = await worker.renderGroup!(
        members.map((m) => request(p, m, delivered)),
        signal,
      );
      members.forEach((m, k) => delivered.set(m, groups[k]!));
    } else delivered.set(i, await worker.renderSegment(request(p, i, delivered), signal));
  }
  return p.segments.flatMap((s) => delivered.get(s.index)!);
}

function expectSameFrames(a: RgbImage[], b: RgbImage[]): void {
  expect(a.length).toBe(b.length);
  for (const [k, f] of a.entries()) {
    expect([f.width, f.height]).toEqual([b[k]!.width, b[k]!.height]);
    // Bit-identical: the same pipeline on the same sessions' settings, only in another process.
    expect(Buffer.from(f.data).equals(Buffer.from(b[k]!.data)), `frame ${k}`).toBe(true);
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'engine-diffusion-'));
  packDir = await buildTinyPack(join(root, 'pack'));
  [engine, local] = await Promise.all([
    EngineClient.start({ threads: THREADS, warmUp: false, providers: ['cpu'] }),
    DiffusionGenerator.open(packDir, new LocalSessionProvider({ intraOpNumThreads: THREADS })),
  ]);
});

afterAll(async () => {
  await engine?.close();
  await local?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('diffusion in the engine process', () => {
  it('gives the same frames as the in-process DiffusionWorker (independent, interleaved, fused, chained)', async () => {
    const { diffusionId, device, shared } = await engine.openDiffusion(openOptions());
    expect(device).toBe('cpu');
    expect(shared).toBe(false);
    for (const p of [
      plan('independent', 8, 4, 0),
      plan('interleaved', 12, 4, 1), // transitions get their neighbours' frames as dependencies
      plan('fused', 10, 4, 1), // one fusion group: renderGroup
      plan('chained', 10, 4, 2), // the previous window's frames join the bank
    ]) {
      const mine = await renderPlan(inProcess(), p);
      const theirs = await renderPlan(viaEngine(diffusionId), p);
      expect(theirs).toHaveLength(p.settings.to);
      expectSameFrames(theirs, mine);
    }
    // A second id on the same pack shares the generator's sessions; closing one keeps them.
    const second = await engine.openDiffusion(openOptions({ settings: { ...settings, seed: 4 } }));
    expect(second.shared).toBe(true);
    // text encoder, VAE encoder and decoder, ControlNet, and one reference UNet (bank writer,
    // reader and plain UNet in one session; it was 7 with three UNet sessions).
    expect((await engine.info()).diffusion).toEqual({ generators: 1, sessions: 5 });
    const p = plan('independent', 4, 4, 0);
    expectSameFrames(
      await renderPlan(viaEngine(second.diffusionId), p),
      await renderPlan(inProcess({ seed: 4 }), p),
    );
    await engine.closeDiffusion(second.diffusionId);
    expect((await engine.info()).diffusion?.generators).toBe(1);
    await engine.closeDiffusion(diffusionId);
    expect((await engine.info()).diffusion).toEqual({ generators: 0, sessions: 0 });
  });

  it('rejects a missing pack, bad settings and bad segments with clear errors, and keeps running', async () => {
    const bad = async (promise: Promise<unknown>, message: RegExp) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EngineRequestError);
      expect((error as EngineRequestError).kind).toBe('bad-input');
      expect((error as Error).message).toMatch(message);
    };
    const missing = join(root, 'no-such-pack');
    await bad(engine.openDiffusion(openOptions({ packDir: missing })), /no-such-pack/);
    await bad(
      engine.openDiffusion(openOptions({ settings: { ...settings, steps: 0 } })),
      /settings\.steps/,
    );
    await bad(
      engine.openDiffusion(openOptions({ output: { width: 72, height: 64 } })),
      /output width must be a multiple of 64/,
    );
    await bad(
      engine.openDiffusion(openOptions({ reference: { path: join(root, 'nope.png') } })),
      /reference picture .*nope\.png cannot be read/,
    );
    await bad(
      engine.openDiffusion(openOptions({ referencePose: new Float64Array(10) })),
      /136 points/,
    );
    const { diffusionId } = await engine.openDiffusion(openOptions());
    const p = plan('independent', 4, 4, 0);
    const good = request(p, 0, new Map());
    await bad(
      engine.renderDiffusionSegment(diffusionId, { ...good, poses: good.poses.slice(1) }),
      /one pose per frame/,
    );
    // A transition without its neighbours' frames.
    const ip = plan('interleaved', 12, 4, 1);
    await bad(
      engine.renderDiffusionSegment(diffusionId, {
        ...request(ip, 1, new Map()),
        dependencies: [],
      }),
      /transition 1 needs/,
    );
    // Numbers no pose can hold: answered naming the point, before any model runs.
    const broken = good.poses.map((p) => Float64Array.from(p));
    broken[2]![7] = 1e308;
    await bad(
      engine.renderDiffusionSegment(diffusionId, { ...good, poses: broken }),
      /^invalid request: request\.poses\[2\]: point 2 y is 1e\+308: pose numbers must be finite/,
    );
    broken[2]![7] = NaN;
    await bad(
      engine.renderDiffusionSegment(diffusionId, { ...good, poses: broken }),
      /request\.poses\[2\]: point 2 y is NaN/,
    );
    await bad(
      engine.openDiffusion(openOptions({ referencePose: broken[2]! })),
      /open\.referencePose: point 2 y is NaN/,
    );
    await expect(engine.renderDiffusionSegment('diffusion-999', good)).rejects.toThrow(
      /unknown diffusion generator "diffusion-999"/,
    );
    expect((await engine.info()).diffusion?.generators).toBe(1); // still open, still working
    expect((await engine.renderDiffusionSegment(diffusionId, good)).frames).toHaveLength(4);
    await engine.closeDiffusion(diffusionId);
  });
});

describe('execution providers', () => {
  it('tries the platform’s GPU provider first and says why it fell back to CPU', async () => {
    const gpu =
      process.platform === 'win32' ? 'dml' : process.platform === 'darwin' ? 'coreml' : 'cuda';
    const available = (await engine.info()).available;
    const opened = await engine.openDiffusion(openOptions({ executionProviders: [gpu, 'cpu'] }));
    try {
      if (opened.device === 'cpu' && available.includes(gpu))
        expect(opened.fallbackReason).toMatch(new RegExp(`fell back to cpu \\(${gpu} failed`));
      const p = plan('independent', 4, 4, 0);
      const frames = await renderPlan(viaEngine(opened.diffusionId), p);
      if (opened.device === 'cpu') expectSameFrames(frames, await renderPlan(inProcess(), p));
    } finally {
      await engine.closeDiffusion(opened.diffusionId);
    }
  });
});

describe('idle release', () => {
  it('releases an idle generator’s sessions and reopens it for the next segment', async () => {
    const idle = await EngineClient.start({
      threads: THREADS,
      warmUp: false,
      providers: ['cpu'],
      idleMs: 300,
    });
    try {
      const { diffusionId } = await idle.openDiffusion(openOptions());
      const p = plan('independent', 4, 4, 0);
      const first = await renderPlan(viaEngine(diffusionId, idle), p);
      expect((await idle.info()).diffusion).toEqual({ generators: 1, sessions: 5 });
      const deadline = Date.now() + 5_000;
      while ((await idle.info()).diffusion?.sessions !== 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((await idle.info()).diffusion).toEqual({ generators: 0, sessions: 0 });
      expectSameFrames(await renderPlan(viaEngine(diffusionId, idle), p), first);
      expect((await idle.info()).diffusion?.generators).toBe(1);
    } finally {
      await idle.close();
    }
  });
});

describe('cancel and crash', () => {
  // Heavier than the tests above so one segment takes seconds: 128² (16² latents), 8 frames.
  const size = 128;
  const long = { ...settings, steps: 40 };
  let diffusionId: string;
  let segment: SegmentRequest;
  let full: { ms: number; modelRuns: number; frames: RgbImage[] };

  beforeAll(async () => {
    ({ diffusionId } = await engine.openDiffusion(
      openOptions({
        output: { width: size, height: size },
        reference: { image: picture(size) },
        referencePose: points(0, size),
        settings: long,
      }),
    ));
    const p = plan('independent', 8, 8, 0);
    segment = {
      ...request(p, 0, new Map()),
      poses: Array.from({ length: 8 }, (_, k) => points(k % 5, size)),
    };
    full = await engine.renderDiffusionSegment(diffusionId, segment);
  });

  it('stops within one denoising step when cancelled', async () => {
    const perStep = full.ms / long.steps;
    const abort = new AbortController();
    const started = performance.now();
    const call = engine.renderDiffusionSegment(diffusionId, segment, abort.signal);
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      abort.abort();
    }, full.ms / 3);
    const error = await call.then(
      () => undefined,
      (e: unknown) => e as EngineRequestError,
    );
    const latency = performance.now() - abortedAt;
    expect(error).toBeInstanceOf(EngineRequestError);
    expect(error!.kind).toBe('cancelled');
    const [, runs, after] = /after (\d+) model runs \((\d+) after the cancel arrived\)/
      .exec(error!.message)!
      .map(Number);
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(full.modelRuns * 0.8); // it really stopped early
    // The cancel is read between model runs; the step in progress (ControlNet + UNet) finishes,
    // no further step starts. Counted in model runs, not milliseconds: the latency is printed
    // below (a loaded CI machine stretches any wall-clock bound).
    expect(after).toBeLessThanOrEqual(2);
    console.log(
      `cancel: ${latency.toFixed(0)} ms after abort (step ${perStep.toFixed(0)} ms), ` +
        `${runs}/${full.modelRuns} runs, ${after} after the cancel, ` +
        `${(performance.now() - started).toFixed(0)} ms total`,
    );
    // The engine is free again at once and renders the same frames as before.
    expectSameFrames(
      (await engine.renderDiffusionSegment(diffusionId, segment)).frames,
      full.frames,
    );
  });

  it('a cancel stops only its own render, even while another waits for the same bank pass', async () => {
    // A new prompt: a bank not computed yet, so both renders wait for one shared writer pass.
    const open = () =>
      engine.openDiffusion(
        openOptions({
          output: { width: size, height: size },
          reference: { image: picture(size) },
          referencePose: points(0, size),
          settings: { ...long, steps: 6, prompt: 'a dancer in a red coat' },
        }),
      );
    const [a, b] = await Promise.all([open(), open()]);
    const abort = new AbortController();
    const cancelled = engine.renderDiffusionSegment(a.diffusionId, segment, abort.signal);
    const other = engine.renderDiffusionSegment(b.diffusionId, segment);
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
    const { frames } = await other;
    const alone = await engine.renderDiffusionSegment(b.diffusionId, segment);
    expectSameFrames(frames, alone.frames);
    await engine.closeDiffusion(a.diffusionId);
    await engine.closeDiffusion(b.diffusionId);
  });

  it('kill -9 mid-segment rejects with EngineCrashedError; the next segment renders after the restart', async () => {
    const crashes: string[] = [];
    const off = engine.onCrash((r) => crashes.push(r));
    const { pid } = await engine.info();
    const call = engine.renderDiffusionSegment(diffusionId, segment);
    setTimeout(() => process.kill(pid, 'SIGKILL'), full.ms / 3);
    await expect(call).rejects.toBeInstanceOf(EngineCrashedError);
    await expect(call).rejects.toThrow(/killed by SIGKILL during renderDiffusionSegment/);
    // The generator is reopened in the new process before its next segment: same frames.
    const again = await engine.renderDiffusionSegment(diffusionId, segment);
    expectSameFrames(again.frames, full.frames);
    const info = await engine.info();
    expect(info.pid).not.toBe(pid);
    expect(info.diffusion?.generators).toBe(1);
    expect(crashes[0]).toMatch(/SIGKILL/);
    off();
  }, 120_000);

  it('a cancel while the engine restarts and reopens the generator answers at once; the next call renders', async () => {
    const { pid } = await engine.info();
    const crashed = new Promise<void>((resolve) => {
      const off = engine.onCrash(() => {
        off();
        resolve();
      });
    });
    process.kill(pid, 'SIGKILL');
    await crashed; // the client knows: calls now wait for the restart
    const abort = new AbortController();
    let cancelledAt = Infinity;
    const call = engine.renderDiffusionSegment(diffusionId, segment, abort.signal).catch((e) => {
      cancelledAt = performance.now();
      throw e;
    });
    // The restart (a new process) and the pack's reopen take far longer than this.
    const restarted = engine.info().then(() => performance.now());
    setTimeout(() => abort.abort(), 20);
    await expect(call).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(call).rejects.toThrow(/cancelled while the engine (restarts|reopens)/);
    expect(cancelledAt).toBeLessThan(await restarted);
    expectSameFrames(
      (await engine.renderDiffusionSegment(diffusionId, segment)).frames,
      full.frames,
    );
  }, 120_000);
});
