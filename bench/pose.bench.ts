/**
 * Pose mathematics benchmark (`npm run bench:pose`): FK interpolation throughput, conditioning
 * renders per second at 512×512 and keyframe reduction time. Prints `name: value` lines.
 */
import { renderConditioning } from '#shared/pose/conditioning';
import { reduceKeyframes } from '#shared/pose/reduce';
import { PoseTrackEvaluator } from '#shared/pose/track';
import { createRgbImage } from '#shared/image/rgbImage';
import { POINT_COUNT, PARENT } from '#shared/pose/skeleton';
import { emptyPoints, type Easing, type PoseTrack } from '#shared/pose/types';

/**
 * Wall-clock and CPU seconds of `fn`. The machine is shared: when other processes compete for the
 * cores, wall time grows while this process's CPU time stays close to what an idle run takes.
 */
function timed(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

let seed = 12345;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

/** A plausible full pose: every point present, each a bone of random direction from its parent. */
function randomPose(cx: number, cy: number, size: number): Float64Array {
  const p = emptyPoints();
  for (let i = 0; i < POINT_COUNT; i++) {
    const parent = PARENT[i]!;
    const px = parent < 0 ? cx : p[parent * 3]!;
    const py = parent < 0 ? cy : p[parent * 3 + 1]!;
    const length = (i < 24 ? size * 0.5 : size * 0.08) * (0.5 + 0.5 * rnd());
    const angle = rnd() * 2 * Math.PI;
    p[i * 3] = px + length * Math.cos(angle);
    p[i * 3 + 1] = py + length * Math.sin(angle);
    p[i * 3 + 2] = 1;
  }
  return p;
}

const EASINGS: Easing[] = [
  { kind: 'linear' },
  { kind: 'bezier', x1: 0.42, y1: 0, x2: 0.58, y2: 1 },
  { kind: 'hold' },
];

function makeTrack(frames: number, every: number, size: number): PoseTrack {
  return {
    width: size,
    height: size,
    people: [0, 1].map((personId) => ({
      personId,
      keyframes: Array.from({ length: Math.floor(frames / every) + 1 }, (_, k) => ({
        id: `p${personId}k${k}`,
        frame: k * every,
        points: randomPose(size * (0.3 + 0.4 * personId), size * 0.5, size * 0.25),
        easing: EASINGS[k % EASINGS.length]!,
      })),
    })),
  };
}

function fkInterpolation(): void {
  const FRAMES = 100_000;
  const track = makeTrack(FRAMES, 48, 512);
  // warm the JIT on a separate evaluator
  const warm = new PoseTrackEvaluator(track);
  const wf = warm.createFrame();
  for (let f = 0; f < 5_000; f++) warm.evaluateInto(f, wf);

  const ev = new PoseTrackEvaluator(track);
  const out = ev.createFrame();
  let checksum = 0;
  const t = timed(() => {
    for (let f = 0; f < FRAMES; f++) {
      ev.evaluateInto(f, out);
      checksum += out.people[1]!.points[100]!;
    }
  });
  console.log(`fk_interpolation_100k_frames_s: ${t.wall.toFixed(3)}`);
  console.log(`fk_interpolation_100k_frames_cpu_s: ${t.cpu.toFixed(3)}`);
  console.log(
    `  (2 people × 136 points, keyframe every 48 frames, segment plans compiled lazily; checksum ${checksum.toFixed(1)})`,
  );
}

function conditioning(): void {
  const track = makeTrack(2_000, 24, 512);
  const ev = new PoseTrackEvaluator(track);
  const frames = Array.from({ length: 200 }, (_, i) => ev.evaluate(i * 7));
  const target = createRgbImage(512, 512);
  for (let i = 0; i < 200; i++) renderConditioning(frames[i % frames.length]!, {}, target);
  const N = 2_000;
  const t = timed(() => {
    for (let i = 0; i < N; i++) renderConditioning(frames[i % frames.length]!, {}, target);
  });
  console.log(`conditioning_renders_per_s_512: ${(N / t.wall).toFixed(0)}`);
  console.log(`conditioning_renders_per_cpu_s_512: ${(N / t.cpu).toFixed(0)}`);
  console.log(`  (2 people, body + both hands + face, auto stick scale, reused target buffer)`);
}

/**
 * Dense 10,000-frame capture as a video import produces it: playback of a track whose keyframes
 * (every 48 frames, linear) are one pose with body points nudged by up to ±12 px and hand / face
 * points by up to ±2 px, plus ±0.3 px detector jitter on every frame.
 */
function reduction(): void {
  const N = 10_000;
  const base = randomPose(256, 256, 120);
  const track: PoseTrack = {
    width: 512,
    height: 512,
    people: [
      {
        personId: 0,
        keyframes: Array.from({ length: N / 48 + 1 }, (_, k) => ({
          id: `k${k}`,
          frame: k * 48,
          points: base.map((v, i) => (i % 3 === 2 ? v : v + (rnd() - 0.5) * (i < 24 * 3 ? 24 : 4))),
          easing: { kind: 'linear' } as const,
        })),
      },
    ],
  };
  const ev = new PoseTrackEvaluator(track);
  const frames = Array.from({ length: N }, (_, t) => {
    const p = new Float64Array(ev.evaluate(t).people[0]!.points);
    for (let i = 0; i < POINT_COUNT; i++) {
      p[i * 3] = p[i * 3]! + (rnd() - 0.5) * 0.6;
      p[i * 3 + 1] = p[i * 3 + 1]! + (rnd() - 0.5) * 0.6;
    }
    return p;
  });
  for (const method of ['pose', 'joints'] as const) {
    let r = reduceKeyframes([], { tolerance: 2 });
    const t = timed(() => {
      r = reduceKeyframes(frames, { tolerance: 2, method });
    });
    const suffix = method === 'joints' ? '_joints_method' : '';
    console.log(
      `rdp_reduction_10k_frames_s${suffix}: ${t.wall.toFixed(3)} (cpu ${t.cpu.toFixed(3)})`,
    );
    console.log(
      `  (method '${method}', 1 person × 136 points, ${track.people[0]!.keyframes.length} source keys, tolerance 2 px → ${r.keyframes.length} keyframes, max playback error ${r.maxError.toFixed(3)} px)`,
    );
  }
}

fkInterpolation();
conditioning();
reduction();
