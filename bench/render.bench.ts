/**
 * Render benchmark: end-to-end puppet frames/s to MP4 at 512² (project → plan → engine → cache →
 * ordering barrier → ffmpeg → ffprobe check), and peak memory of a 300- and a 30,000-frame render.
 *
 *   npm run bench:render                      # real engine at 300 frames; memory 300 vs 30,000
 *   npm run bench:render -- --workers 2 --long-engine real
 *   npm run bench:render -- --speed-only        # the end-to-end speed run alone
 *   npm run bench:render -- --coherence-cost    # main-process CPU per frame with and without
 *                                                 the coherence report (runs alternate, 2 each)
 *
 * Each measurement runs in its own process so peak resident memory (Linux VmHWM) is its own. The
 * memory comparison spreads the same keyframes over 300 and over 30,000 frames, so the project file
 * is the same size and only the render's length differs (a 30,000-frame track with a keyframe
 * every 3 frames is itself ~40 MB of JSON and ~100 MB in memory: input, not render state).
 * The 30,000-frame memory run uses the fake pose-drawing worker unless `--long-engine real`
 * (30,000 real puppet frames take tens of minutes on this 2-core machine); the main process —
 * scheduler, cache, manifest, encoder pipe — is the same code either way, and the engine process
 * renders frame by frame, so its memory does not depend on the video's length.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '#main/engine/client/engineClient';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { FakeWorker } from '#test/helpers/fakeWorker';
import { PuppetWorker } from '#main/scheduler/workers/puppetWorker';
import type { RenderWorker } from '#shared/render/worker';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender, renderJobSpec } from '#main/scheduler/job/projectRender';
import { runRenderJob } from '#main/scheduler/job/renderJob';
import { defaultWorkerCount, engineThreads } from '#main/scheduler/workers/workers';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const SAMPLE = join(import.meta.dirname, '..', 'assets', 'sample-project');

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

/** CPU seconds of a process (user + system) and of its reaped children, from /proc. */
function cpuSeconds(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const tick = 100; // USER_HZ on Linux
  return { own: (f[11]! + f[12]!) / tick, children: (f[13]! + f[14]!) / tick };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

/**
 * A copy of the sample project rendering `frames` frames of the dance, every frame moving.
 * `loop`: the 12 s dance repeated (keyframes grow with the length, as in a long authored track);
 * `stretch`: the same 97 keyframes spread over the whole length, so the project's own size does
 * not grow with the video and a memory comparison measures the render pipeline alone.
 */
function longProject(root: string, frames: number, mode: 'loop' | 'stretch'): string {
  const dir = join(root, 'project');
  cpSync(SAMPLE, dir, { recursive: true });
  const file = join(dir, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const dance = p.tracks.find((t: { id: string }) => t.id === 'dance');
  const keys = dance.people[0].keyframes as { frame: number; points: number[] }[];
  const period = keys.at(-1)!.frame;
  const out = [];
  if (mode === 'stretch') {
    for (const k of keys) out.push({ ...k, frame: Math.round((k.frame / period) * (frames - 1)) });
  } else {
    for (let lap = 0; lap * period < frames; lap++)
      for (const k of keys.slice(lap === 0 ? 0 : 1))
        out.push({ ...k, id: `l${lap}-${k.frame}`, frame: k.frame + lap * period });
  }
  dance.people[0].keyframes = out;
  p.output.range = { from: 0, to: frames };
  writeFileSync(file, JSON.stringify(p));
  return dir;
}

interface RunResult {
  engine: string;
  frames: number;
  workers: number;
  seconds: number;
  renderSeconds: number;
  mainPeak: number;
  enginePeak: number | null;
  cacheBytes: number;
  videoBytes: number;
  /** CPU ms per frame: the main process (scheduler, cache codec, thumbnails), engine(s), ffmpeg + ffprobe. */
  cpuMsPerFrame: { main: number; engine: number; ffmpeg: number };
}

/** One measurement, in this process (the parent starts one child per measurement). */
async function child(
  engine: 'real' | 'fake',
  frames: number,
  workers: number,
  mode: 'loop' | 'stretch',
  coherence = true,
): Promise<RunResult> {
  const root = mkdtempSync(join(tmpdir(), 'render-bench-'));
  try {
    const dir = longProject(root, frames, mode);
    const t0 = performance.now();
    const job = await prepareProjectRender(dir, {}, { pictureSize });
    const ffmpeg = resolveFfmpeg();
    const ffprobe = resolveFfprobe(ffmpeg);
    const size = { width: job.width, height: job.height };
    const engines: EngineClient[] = [];
    let list: RenderWorker[];
    if (engine === 'real') {
      const threads = engineThreads(workers, availableParallelism());
      // Started together, as the product's startPuppetWorkers does.
      engines.push(
        ...(await Promise.all(
          Array.from({ length: workers }, () => EngineClient.start({ threads })),
        )),
      );
      const setup = {
        picturePath: job.picturePath,
        referencePose: Float64Array.from(job.character.referencePose),
        ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      };
      list = engines.map((e, i) => new PuppetWorker(`p${i}`, e, setup, size));
    } else {
      list = Array.from({ length: workers }, (_, i) => new FakeWorker(`f${i}`, size));
    }
    const dispatcher = new Dispatcher(list);
    const output = join(root, 'out.mp4');
    let firstFrameAt = 0;
    let enginePeak: number | null = null;
    const t1 = performance.now();
    const cpu0 = cpuSeconds('self');
    const engineCpu0 = await Promise.all(
      engines.map(async (e) => cpuSeconds((await e.info()).pid).own),
    );
    const finished = await runRenderJob(
      {
        ...renderJobSpec(job, { output, ffmpeg: ffmpeg.path, ffprobe, format: 'mp4' }),
        coherence,
      },
      {
        dispatcher,
        onEvent: (e) => {
          if (e.type === 'segment' && !firstFrameAt) firstFrameAt = performance.now();
        },
      },
    );
    const t2 = performance.now();
    const cpu1 = cpuSeconds('self');
    let engineCpu = 0;
    if (engines.length) {
      enginePeak = 0;
      for (const [i, e] of engines.entries()) {
        const pid = (await e.info()).pid;
        enginePeak = Math.max(enginePeak, peakRss(pid));
        engineCpu += cpuSeconds(pid).own - engineCpu0[i]!;
      }
    }
    await dispatcher.close();
    if (finished.frames !== frames)
      throw new Error(`rendered ${finished.frames} frames, expected ${frames}`);
    return {
      engine,
      frames,
      workers,
      seconds: (t2 - t0) / 1000,
      renderSeconds: (t2 - t1) / 1000,
      mainPeak: peakRss(process.pid),
      enginePeak,
      cacheBytes: dirBytes(join(dir, 'cache')),
      videoBytes: statSync(output).size,
      cpuMsPerFrame: {
        main: ((cpu1.own - cpu0.own) * 1000) / frames,
        engine: (engineCpu * 1000) / frames,
        // ffmpeg and ffprobe have exited and been reaped by now; engines are still running.
        ffmpeg: ((cpu1.children - cpu0.children) * 1000) / frames,
      },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function measure(
  engine: string,
  frames: number,
  workers: number,
  mode = 'loop',
  coherence = true,
): RunResult {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      engine,
      '--frames',
      String(frames),
      '--workers',
      String(workers),
      '--mode',
      mode,
      '--coherence',
      coherence ? 'on' : 'off',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(line) as RunResult;
}

async function main() {
  const childMode = arg('child', '');
  if (childMode) {
    const res = await child(
      childMode as 'real' | 'fake',
      Number(arg('frames', '300')),
      Number(arg('workers', '1')),
      arg('mode', 'loop') as 'loop' | 'stretch',
      arg('coherence', 'on') !== 'off',
    );
    process.stdout.write(`${JSON.stringify(res)}\n`);
    return;
  }
  // The product's default (one puppet engine per core, up to 4) unless --workers says otherwise.
  const workers = Number(arg('workers', String(defaultWorkerCount({}))));
  const longEngine = arg('long-engine', 'fake');
  const longFrames = Number(arg('long-frames', '30000'));
  console.log(
    `render bench — 512×512 MP4 (H.264 CRF 18 veryfast), ${workers} worker(s), sample character, looping dance`,
  );

  if (process.argv.includes('--coherence-cost')) {
    // Alternating runs, so a change in the machine's load hits both sides alike.
    const runs = { on: [] as RunResult[], off: [] as RunResult[] };
    for (let i = 0; i < 2; i++)
      for (const side of ['off', 'on'] as const)
        runs[side].push(measure('real', 300, workers, 'loop', side === 'on'));
    const mean = (rs: RunResult[], f: (r: RunResult) => number) =>
      rs.reduce((a, r) => a + f(r), 0) / rs.length;
    for (const side of ['off', 'on'] as const) {
      const rs = runs[side];
      console.log(
        `coherence report ${side}: main process CPU ${rs.map((r) => r.cpuMsPerFrame.main.toFixed(2)).join(', ')} ms/frame ` +
          `(mean ${mean(rs, (r) => r.cpuMsPerFrame.main).toFixed(2)}), all processes ${mean(rs, (r) => r.cpuMsPerFrame.main + r.cpuMsPerFrame.engine + r.cpuMsPerFrame.ffmpeg).toFixed(2)} ms/frame, ` +
          `${mean(rs, (r) => r.frames / r.renderSeconds).toFixed(1)} frames/s rendering`,
      );
    }
    const all = (rs: RunResult[]) =>
      mean(rs, (r) => r.cpuMsPerFrame.main + r.cpuMsPerFrame.engine + r.cpuMsPerFrame.ffmpeg);
    const cost =
      mean(runs.on, (r) => r.cpuMsPerFrame.main) - mean(runs.off, (r) => r.cpuMsPerFrame.main);
    console.log(
      `  report cost: ${cost.toFixed(2)} ms CPU per frame = ${((100 * cost) / all(runs.off)).toFixed(1)}% of the render's CPU (budget 5%)`,
    );
    return;
  }
  const real = measure('real', 300, workers);
  const perFrameCache = real.cacheBytes / real.frames;
  console.log(
    `end to end, real puppet engine, 300 frames: ${(real.frames / real.seconds).toFixed(1)} frames/s ` +
      `including engine start and character setup (${real.seconds.toFixed(1)} s), ` +
      `${(real.frames / real.renderSeconds).toFixed(1)} frames/s rendering (target ≥ 60)`,
  );
  const c = real.cpuMsPerFrame;
  const total = c.main + c.engine + c.ffmpeg;
  console.log(
    `  CPU per frame: engine ${c.engine.toFixed(1)} ms, main process ${c.main.toFixed(1)} ms (scheduler, cache codec, ` +
      `thumbnails), ffmpeg ${c.ffmpeg.toFixed(1)} ms = ${total.toFixed(1)} ms → ≈ ${((2 * 1000) / total).toFixed(0)} frames/s ` +
      `on 2 idle cores, ≈ ${(1000 / total).toFixed(0)} on one (this machine is shared: wall-clock numbers above are lower)`,
  );
  console.log(
    `  peak memory: main ${mb(real.mainPeak)}, engine ${real.enginePeak ? mb(real.enginePeak) : 'n/a'}; ` +
      `segment cache ${(perFrameCache / 1024).toFixed(1)} KB/frame → ${((perFrameCache * 30000) / 2 ** 30).toFixed(2)} GB for 30,000 frames; MP4 ${(real.videoBytes / 1024).toFixed(0)} KB`,
  );

  if (process.argv.includes('--speed-only')) return;
  // Same keyframes at both lengths (stretched), so only the video's length differs.
  const shortRun = measure(longEngine, 300, workers, 'stretch');
  const longRun = measure(longEngine, longFrames, workers, 'stretch');
  const ratio = longRun.mainPeak / shortRun.mainPeak;
  console.log(
    `peak memory (${longEngine === 'real' ? 'real engine' : 'fake pose-drawing worker'}, main process, same 97 keyframes stretched): ` +
      `300 frames ${mb(shortRun.mainPeak)}, ${longFrames.toLocaleString('en')} frames ${mb(longRun.mainPeak)} → ratio ${ratio.toFixed(3)} (target ≤ 1.15)`,
  );
  if (longRun.enginePeak && shortRun.enginePeak)
    console.log(`  engine: ${mb(shortRun.enginePeak)} vs ${mb(longRun.enginePeak)}`);
  console.log(
    `  ${longFrames.toLocaleString('en')} frames took ${longRun.seconds.toFixed(0)} s (${(longRun.frames / longRun.renderSeconds).toFixed(0)} frames/s with this worker)`,
  );
}

await main();
