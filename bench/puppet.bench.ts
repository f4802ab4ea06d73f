/**
 * Puppet generator benchmark (CPU): character setup time, frames/s end to end through the engine
 * process (IPC included) and inside the engine (warp only), at 512² and 1024², and the engine's
 * peak memory. Run: npm run bench:puppet  [-- --frames 240 --threads 1,2]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { EngineClient } from '#main/engine/client/engineClient';
import { ModelRegistry } from '#main/engine/models/modelRegistry';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { stockPose, writeCharacter } from '#test/fixtures/characters/drawCharacter';
import { raisedArmsPose, wavePose } from '#test/integration/engine/poses';
import { frameInputs } from '#shared/puppet/frameInputs';
import { MARKERS, PART_COLORS } from '#test/fixtures/characters/drawCharacter';
import {
  holeFraction,
  markerCentroid,
  partColourDeltaE,
  psnr,
  sliverPixels,
  strayPixels,
} from '#test/integration/engine/metrics';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';
import { BONES } from '#shared/puppet/bones';
import sharp from 'sharp';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const FRAMES = Number(arg('frames', '240'));
const THREADS = arg('threads', '1,2').split(',').map(Number);
const SIZES = (process.env.PUPPET_BENCH_SIZES ?? '512,1024').split(',').map(Number);

/** Peak resident memory of a process (Linux VmHWM), else undefined. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
/** CPU time (user + system) a process has used, ms (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}
const mb = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** The test suite's quality numbers at 512² for the full wave pose (markers, holes, PSNR). */
async function quality512(
  dir: string,
  run: (f: Record<string, ort.Tensor>) => Promise<Record<string, ort.Tensor>>,
  quality: 'smooth' | 'fast',
): Promise<string> {
  const bg = [230, 230, 220];
  const marked = join(dir, 'marked.png');
  await writeCharacter(marked, { background: [230, 230, 220], markers: true });
  const ch = await setupPuppetCharacter({
    picturePath: marked,
    referencePose: stockPose(),
    quality,
  });
  const target = wavePose(stockPose(), 1);
  const still = await renderPuppetFrame(ch, stockPose(), run);
  const frame = await renderPuppetFrame(ch, target, run);
  const picture = new Uint8Array(await sharp(marked).removeAlpha().raw().toBuffer());
  let worst = 0;
  for (const m of MARKERS) {
    const c = markerCentroid(
      frame,
      m.color,
      [target[m.joint * 3]!, target[m.joint * 3 + 1]!],
      12,
      36,
    );
    worst = Math.max(worst, Math.hypot(c.x - target[m.joint * 3]!, c.y - target[m.joint * 3 + 1]!));
  }
  const forward = frameInputs(ch.rig, target).forward;
  const { holes } = holeFraction(ch, forward, frame, bg);
  const parts = Object.fromEntries(
    Object.entries(PART_COLORS).map(([name, color]) => [
      name,
      { bone: BONES.findIndex((b) => b.name === name), color },
    ]),
  );
  const plain = join(dir, 'plain.png');
  await writeCharacter(plain, { background: [230, 230, 220] });
  const chPlain = await setupPuppetCharacter({
    picturePath: plain,
    referencePose: stockPose(),
    quality,
  });
  const framePlain = await renderPuppetFrame(chPlain, target, run);
  const plainPicture = new Uint8Array(await sharp(plain).removeAlpha().raw().toBuffer());
  const dE = Math.max(
    ...Object.values(partColourDeltaE(chPlain, forward, plainPicture, framePlain, parts)).map(
      (r) => r.deltaE,
    ),
  );
  // Arms raised 150° / 120° from the reference: stray pixels (torn seams, streaks; see metrics.ts).
  const raised = raisedArmsPose(stockPose(), (150 * Math.PI) / 180, (-120 * Math.PI) / 180);
  const frameRaised = await renderPuppetFrame(chPlain, raised, run);
  const stray = strayPixels(
    chPlain,
    frameInputs(chPlain.rig, raised).forward,
    plainPicture,
    chPlain.plate,
    frameRaised,
  ).stray;
  return (
    `512²  ${quality}  quality: raised arms ${stray} stray px; wave pose: worst joint marker error ${worst.toFixed(2)} px, holes ` +
    `${(100 * holes).toFixed(3)}% of character pixels, worst part ΔE ${dE.toFixed(2)}, ` +
    `reference PSNR ${psnr(still.data, picture).toFixed(1)} dB`
  );
}

/**
 * Sprout (the demo's sample character) with its arms far from the reference: slivers of the torn
 * sleeves (`sliverPixels` over the upper body, beyond those at the reference pose) and stray pixels
 * at the demo dance's frames 30, 60, 100 and both arms raised 150° / 120°.
 */
async function sproutSeams(
  run: (f: Record<string, ort.Tensor>) => Promise<Record<string, ort.Tensor>>,
  quality: 'smooth' | 'fast',
): Promise<string> {
  const job = await prepareProjectRender(
    join(import.meta.dirname, '..', 'assets', 'sample-project'),
    {},
    {
      pictureSize: async (file) => {
        const m = await sharp(file).metadata();
        return { width: m.width, height: m.height };
      },
    },
  );
  const reference = Float64Array.from(job.character.referencePose);
  const ch = await setupPuppetCharacter({
    picturePath: job.picturePath,
    maskPath: job.maskPath,
    referencePose: reference,
    quality,
  });
  const picture = new Uint8Array(await sharp(job.picturePath).removeAlpha().raw().toBuffer());
  const box = [100, 0, 420, 300] as const;
  const base = sliverPixels(await renderPuppetFrame(ch, reference, run), ch.plate, { box }).slivers;
  const poses = [
    ...[30, 60, 100].map((f) => job.poseAt(f)),
    raisedArmsPose(reference, (150 * Math.PI) / 180, (-120 * Math.PI) / 180),
  ];
  const slivers: number[] = [];
  let stray = 0;
  for (const pose of poses) {
    const frame = await renderPuppetFrame(ch, pose, run);
    slivers.push(sliverPixels(frame, ch.plate, { box }).slivers - base);
    stray += strayPixels(ch, frameInputs(ch.rig, pose).forward, picture, ch.plate, frame).stray;
  }
  return (
    `512²  ${quality}  Sprout arms far from the reference (demo frames 30/60/100, raised 150°/120°): ` +
    `slivers ${slivers.join('/')} beyond the reference pose's ${base} (total ${slivers.reduce((a, b) => a + b, 0)}), ` +
    `stray ${stray} px`
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'puppet-bench-'));
  const rows: string[] = [];
  try {
    for (const size of SIZES) {
      const picture = join(dir, `char-${size}.png`);
      await writeCharacter(picture, { background: [230, 230, 220], size });
      const scale = size / 512;
      const ref = stockPose(scale);
      // A wave over the clip: every frame a different pose.
      const poses = Array.from({ length: FRAMES }, (_, i) =>
        wavePose(ref, 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 48)),
      );

      for (const [threads, quality] of [
        ...THREADS.map((t) => [t, 'smooth'] as const),
        [1, 'fast'] as const,
      ]) {
        const engine = await EngineClient.start({ threads, modelCacheDir: join(dir, 'models') });
        try {
          const setups: number[] = [];
          let id = '';
          const enginePid = (await engine.info()).pid;
          const setupCpu0 = cpuMs(enginePid);
          for (let r = 0; r < 3; r++) {
            const c = await engine.setupCharacter({
              picturePath: picture,
              referencePose: ref,
              quality,
            });
            setups.push(c.setupMs);
            id = c.characterId;
          }
          const setupCpu = (cpuMs(enginePid) - setupCpu0) / 3;
          await engine.renderPuppetFrames({ characterId: id, poses: poses.slice(0, 8) }); // warm-up
          const { pid } = await engine.info();
          const cpu0 = cpuMs(pid);
          const client0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < poses.length; i += 60)
            await engine.renderPuppetFrames({ characterId: id, poses: poses.slice(i, i + 60) });
          const wall = performance.now() - t0;
          const cpu = cpuMs(pid) - cpu0;
          const client1 = process.cpuUsage(client0);
          const clientMs = (client1.user + client1.system) / 1000;
          const info = await engine.info();
          rows.push(
            `${size}²  ${quality}  threads ${threads}  setup ${median(setups).toFixed(0)} ms (median of 3; ` +
              `engine CPU ${setupCpu.toFixed(0)} ms)  ` +
              `end-to-end ${(poses.length / (wall / 1000)).toFixed(1)} frames/s  ` +
              `engine CPU ${(cpu / poses.length).toFixed(1)} ms/frame  ` +
              `client CPU (receiving frames) ${(clientMs / poses.length).toFixed(2)} ms/frame  peak RSS ${mb(peakRss(info.pid) ?? info.rssBytes)}`,
          );
        } finally {
          await engine.close();
        }
      }

      // Inside the engine, no IPC: the warp graph alone (one session, same code as the engine).
      for (const quality of ['smooth', 'fast'] as const) {
        const character = await setupPuppetCharacter({
          picturePath: picture,
          referencePose: ref,
          quality,
        });
        const { bytes } = await new ModelRegistry(join(dir, 'models')).load(character.modelId);
        const session = await ort.InferenceSession.create(bytes, {
          intraOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        const run = (f: Record<string, ort.Tensor>) =>
          session.run(f) as Promise<Record<string, ort.Tensor>>;
        for (let i = 0; i < 8; i++) await renderPuppetFrame(character, poses[i]!, run);
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        for (const p of poses) await renderPuppetFrame(character, p, run);
        const ms = (performance.now() - t0) / poses.length;
        const c1 = process.cpuUsage(c0);
        const cpu = (c1.user + c1.system) / 1000 / poses.length;
        rows.push(
          `${size}²  ${quality}  threads 1  warp only (in-process) wall ${ms.toFixed(2)} ms/frame = ${(1000 / ms).toFixed(1)} frames/s; ` +
            `CPU ${cpu.toFixed(2)} ms/frame = ${(1000 / cpu).toFixed(1)} frames/s on an idle core`,
        );
        if (size === 512) {
          rows.push(await quality512(dir, run, quality));
          rows.push(await sproutSeams(run, quality));
        }
        await session.release();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const os = await import('node:os');
  console.log(
    `puppet bench — ${FRAMES} frames per run, CPU, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}` +
      ' (wall-clock numbers suffer when the machine is shared; CPU ms/frame does not)',
  );
  for (const r of rows) console.log(r);
}

void main();
