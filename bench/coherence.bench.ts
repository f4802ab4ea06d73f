/**
 * Coherence report benchmark and the demo's report.
 *
 *   npm run bench:coherence                  # cost per frame, then the demo's report
 *   npm run bench:coherence -- --speed-only  # cost per frame only
 *   npm run bench:coherence -- --demo-only [--frames 120] [--context-steps 2] [--json]
 *
 * Speed: CoherenceMeter.add per frame (thumbnail + steps + flicker + drift) at 512² and 1080p,
 * with and without a character mask, against the budget of 5% of a 70 frames/s render (0.71 ms).
 *
 * Demo: the demo's frames measured twice, with the plan's segment boundaries:
 *  1. raw: the frames the renderer hands to the encoder (prepareProjectRender → planFor →
 *     runSegments with real puppet engines → `deliver`, as runRenderJob does), before any
 *     compression;
 *  2. decoded: `pose-studio demo` writes the MP4 (H.264 CRF 18, yuv420p), ffmpeg decodes it to
 *     raw RGB; this carries chroma subsampling and compression noise.
 * The character mask is drawn from each frame's pose (`maskFromPose`, capsules around the limbs):
 * the puppet engine does not return its per-frame mask, so the split is approximate.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { runSegments } from '#main/scheduler/segmentRunner';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender, renderJobSpec } from '#main/scheduler/job/projectRender';
import { planFor } from '#main/scheduler/job/renderJob';
import { startPuppetWorkers } from '#main/scheduler/workers/workers';
import type { CoherenceReport } from '#shared/api/coherence';
import type { RgbImage } from '#shared/image/rgbImage';
import { maskFromPose } from '#shared/puppet/mask';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'assets', 'sample-project');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const BUDGET_MS = (0.05 * 1000) / 70;

/** Frames that change everywhere: a moving gradient with noise, so no branch is predictable. */
function syntheticFrames(width: number, height: number, count: number): RgbImage[] {
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 15;
  return Array.from({ length: count }, (_, t) => {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0, i = 0; y < height; y++)
      for (let x = 0; x < width; x++, i += 3) {
        const v = ((x + y + 4 * t) & 255) >> 1;
        data[i] = v + rand();
        data[i + 1] = 255 - v - rand();
        data[i + 2] = (v >> 1) + rand();
      }
    return { width, height, data };
  });
}

function speed(): void {
  console.log(`load average (1 min) at start: ${loadavg()[0]!.toFixed(2)}`);
  for (const [w, h, n] of [
    [512, 512, 1500],
    [1920, 1080, 300],
  ] as const) {
    const frames = syntheticFrames(w, h, 16);
    const mask = new Uint8Array(w * h).map((_, i) =>
      i % w > w / 3 && i % w < (2 * w) / 3 ? 1 : 0,
    );
    for (const withMask of [false, true]) {
      const meter = new CoherenceMeter({
        boundaries: Array.from({ length: n / 24 }, (_, k) => 24 * k),
        ...(withMask ? { mask } : {}),
      });
      for (let t = 0; t < 100; t++) meter.add(frames[t % 16]!); // warm-up (JIT)
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let t = 0; t < n; t++) meter.add(frames[t % 16]!);
      const c = process.cpuUsage(c0);
      const ms = (performance.now() - t0) / n;
      // CPU time is what the meter costs the render; wall time also counts waiting for a core
      // on a loaded machine.
      const cpuMs = (c.user + c.system) / 1000 / n;
      const t1 = performance.now();
      const report = meter.report();
      const reportMs = performance.now() - t1;
      console.log(
        `${w}×${h} ${withMask ? 'with mask   ' : 'without mask'}: CPU ${cpuMs.toFixed(3)} ms/frame, wall ${ms.toFixed(3)} ms/frame (budget ${BUDGET_MS.toFixed(2)} ms = 5% of a 70 fps frame); report() ${reportMs.toFixed(2)} ms, ${JSON.stringify(report).length} bytes JSON`,
      );
    }
  }
}

function summary(label: string, r: CoherenceReport): void {
  const f = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));
  const s = r.seams;
  console.log(
    `${label}: ${r.frames} frames ${r.width}×${r.height}, mean step ${f(r.meanStep)} grey levels`,
  );
  console.log(
    `${label} seams: pooled score ${f(s.score)} (target ≤ 1.05), max ${f(s.maxScore)} at frame ${s.maxScoreAt ?? 'n/a'}, flagged ${s.flagged}/${s.boundaries.length} (≥ ${s.flagScore})`,
  );
  console.log(
    `${label} seams per boundary (frame: across / inside = score): ${s.boundaries
      .map((b) => `${b.frame}: ${f(b.across, 2)}/${f(b.inside, 2)}=${f(b.score, 2)}`)
      .join(', ')}`,
  );
  console.log(
    `${label} flicker index (0 steady … 1 reversed every frame): mean ${f(r.flicker.mean)}, pooled ${f(r.flicker.pooled)}, max ${f(r.flicker.max)} at frame ${r.flicker.maxAt ?? 'n/a'}; RMS 2nd difference ${f(r.flicker.rms)} grey levels`,
  );
  for (const [name, d] of [
    ['character', r.drift.character],
    ['background', r.drift.background],
  ] as const)
    if (d)
      console.log(
        `${label} drift ${name} (${r.drift.region}) ΔE76 vs frame ${d.referenceFrame}: final ${f(d.final)}, max ${f(d.max)} at frame ${d.maxAt ?? 'n/a'} (target ≤ 1)`,
      );
}

async function demo(frames: number, json: boolean): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'coherence-bench-'));
  try {
    const dir = join(work, 'sample-project');
    cpSync(SAMPLE, dir, { recursive: true });
    const job = await prepareProjectRender(dir, { from: 0, to: frames }, { pictureSize });
    const ffmpeg = resolveFfmpeg();
    const spec = renderJobSpec(job, {
      output: join(work, 'unused.mp4'),
      ffmpeg: ffmpeg.path,
      ffprobe: resolveFfprobe(ffmpeg),
    });
    const plan = planFor(spec);
    const from = spec.plan.from;
    const boundaries = plan.segments.map((s) => s.start - from);
    const maskAt = (t: number) => maskFromPose(job.width, job.height, job.poseAt(from + t));
    console.log(
      `demo plan: ${plan.segments.length} segments (${job.plan.strategy}), boundaries at ${boundaries.slice(1).join(', ')}`,
    );

    // 1. Raw frames, as runRenderJob hands them to the encoder.
    const contextSteps = Number(arg('context-steps', '2'));
    const raw = new CoherenceMeter({ boundaries, contextSteps });
    const rawWhole = new CoherenceMeter({ boundaries, contextSteps });
    // Placebo boundaries on the same frames: every other offset of the 24-frame grid. A real
    // seam scores above these; the motion's own rhythm moves them all.
    const controls = new Map<number, CoherenceMeter>();
    for (let offset = 1; offset < 24; offset++)
      controls.set(
        offset,
        new CoherenceMeter({
          boundaries: Array.from({ length: Math.ceil(frames / 24) }, (_, k) => offset + 24 * k),
          contextSteps,
        }),
      );
    const kept: RgbImage[] = [];
    const referencePose = Float64Array.from(job.character.referencePose);
    const workers = await startPuppetWorkers(
      2,
      {
        picturePath: job.picturePath,
        referencePose,
        ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      },
      { width: job.width, height: job.height },
    );
    const dispatcher = new Dispatcher(workers);
    let t = 0;
    let meterMs = 0;
    const t0 = performance.now();
    try {
      await runSegments({
        jobId: 'coherence-bench',
        plan,
        cache: SegmentCache.forProject(dir),
        dispatcher,
        poses: (s) =>
          Array.from({ length: s.windowEnd - s.windowStart }, (_, i) =>
            spec.poseAt(s.windowStart + i),
          ),
        deliver: async (_seg, delivered) => {
          for (const frame of delivered) {
            const mask = maskAt(t++);
            const m0 = performance.now();
            raw.add(frame, mask);
            rawWhole.add(frame);
            meterMs += performance.now() - m0;
            for (const c of controls.values()) c.add(frame);
            kept.push(frame);
          }
        },
      });
    } finally {
      await dispatcher.close();
    }
    const renderMs = performance.now() - t0;
    console.log(
      `raw render: ${t} frames in ${(renderMs / 1000).toFixed(2)} s; two meters (mask + whole frame) took ${(meterMs / t).toFixed(3)} ms/frame`,
    );
    summary('raw (pose mask)', raw.report());
    summary('raw (whole frame)', rawWhole.report());
    // Drift or pose? Frames whose pose is exactly frame 0's (the dance returns to it).
    const pose0 = job.poseAt(from);
    const samePose = kept
      .map((_, k) => k)
      .filter((k) => k > 0 && job.poseAt(from + k).every((v, i) => v === pose0[i]));
    const series = raw.report().drift.character.series;
    for (const k of samePose) {
      let m = 0;
      for (let i = 0; i < kept[0]!.data.length; i++)
        m = Math.max(m, Math.abs(kept[k]!.data[i]! - kept[0]!.data[i]!));
      const point = series.find((p) => p.from <= k && k <= p.to)!;
      console.log(
        `frame ${k} has frame 0's pose: max |pixel difference| to frame 0 ${m}; character ΔE there ${point.mean.toFixed(3)}`,
      );
    }
    const placebo = [...controls.values()].map((c) => c.report().seams.score!);
    console.log(
      `placebo boundaries (offsets 1…23 of the 24-frame grid, same frames): pooled score min ${Math.min(...placebo).toFixed(3)}, mean ${(placebo.reduce((a, b) => a + b, 0) / placebo.length).toFixed(3)}, max ${Math.max(...placebo).toFixed(3)}`,
    );
    // The same frames with other segment boundaries: is any frame different?
    const other = await prepareProjectRender(dir, { from: 0, to: frames }, { pictureSize });
    const otherSpec = renderJobSpec(
      { ...other, plan: { ...other.plan, segmentLength: 20 } },
      {
        output: join(work, 'unused.mp4'),
        ffmpeg: ffmpeg.path,
        ffprobe: resolveFfprobe(ffmpeg),
      },
    );
    const otherPlan = planFor(otherSpec);
    const workers2 = await startPuppetWorkers(
      2,
      {
        picturePath: job.picturePath,
        referencePose,
        ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      },
      { width: job.width, height: job.height },
    );
    const dispatcher2 = new Dispatcher(workers2);
    let u = 0;
    let maxDiff = 0;
    let differing = 0;
    try {
      await runSegments({
        jobId: 'coherence-bench-20',
        plan: otherPlan,
        cache: SegmentCache.forProject(join(work, 'other-cache')),
        dispatcher: dispatcher2,
        poses: (s) =>
          Array.from({ length: s.windowEnd - s.windowStart }, (_, i) =>
            otherSpec.poseAt(s.windowStart + i),
          ),
        deliver: async (_seg, delivered) => {
          for (const frame of delivered) {
            const a = kept[u++]!.data;
            let m = 0;
            for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - frame.data[i]!));
            if (m > 0) differing++;
            maxDiff = Math.max(maxDiff, m);
          }
        },
      });
    } finally {
      await dispatcher2.close();
    }
    console.log(
      `control, segments of 20 instead of 24 (boundaries ${otherPlan.segments
        .map((s) => s.start)
        .slice(1)
        .join(', ')}): ${differing} of ${u} frames differ, max |difference| ${maxDiff}`,
    );

    // 2. The MP4 `pose-studio demo` writes, decoded.
    const mp4 = join(work, 'demo.mp4');
    const cli = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'pose-studio.js'), 'demo', '-o', mp4, '--frames', String(frames)],
      {
        encoding: 'utf8',
      },
    );
    if (cli.status !== 0) throw new Error(`pose-studio demo failed: ${cli.stderr}`);
    const decoded = new CoherenceMeter({ boundaries, contextSteps });
    const frameBytes = job.width * job.height * 3;
    let n = 0;
    await new Promise<void>((resolve, reject) => {
      const ff = spawn(
        ffmpeg.path,
        ['-v', 'error', '-i', mp4, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let buf = Buffer.alloc(0);
      ff.stdout.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= frameBytes) {
          const data = new Uint8Array(buf.subarray(0, frameBytes));
          buf = buf.subarray(frameBytes);
          decoded.add({ width: job.width, height: job.height, data }, maskAt(n++));
        }
      });
      ff.on('error', reject);
      ff.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`)),
      );
    });
    summary('decoded mp4 (pose mask)', decoded.report());
    if (json) console.log(JSON.stringify({ raw: raw.report(), decoded: decoded.report() }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (!process.argv.includes('--demo-only')) speed();
if (!process.argv.includes('--speed-only'))
  await demo(Number(arg('frames', '120')), process.argv.includes('--json'));
