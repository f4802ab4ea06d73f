/**
 * Puppet generator benchmark (CPU): character setup time, frames/s end to end through the engine
 * process (IPC included) and inside the engine (mesh renderer only), at 512² and 1024², and the
 * engine's peak memory; the drawn test character and AnimatedDrawings' real char4 with its dab
 * motion. Run: npm run bench:puppet  [-- --frames 240 --threads 1,2]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '#main/engine/client/engineClient';
import { type PuppetCharacter, setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { stockPose, writeCharacter } from '#test/fixtures/characters/drawCharacter';
import { char4DabPoses, char4RestPose, frameDrawing } from '#test/fixtures/characters/realDrawing';
import { raisedArmsPose, wavePose } from '#test/integration/engine/poses';
import { boneTransforms } from '#shared/puppet/bones';
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
async function quality512(dir: string, quality: 'smooth' | 'fast'): Promise<string> {
  const bg = [230, 230, 220];
  const marked = join(dir, 'marked.png');
  await writeCharacter(marked, { background: [230, 230, 220], markers: true });
  const ch = await setupPuppetCharacter({
    picturePath: marked,
    referencePose: stockPose(),
    quality,
  });
  const target = wavePose(stockPose(), 1);
  const still = await renderPuppetFrame(ch, stockPose());
  const frame = await renderPuppetFrame(ch, target);
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
  const forward = boneTransforms(ch.rig.reference, target);
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
  const framePlain = await renderPuppetFrame(chPlain, target);
  const plainPicture = new Uint8Array(await sharp(plain).removeAlpha().raw().toBuffer());
  const dE = Math.max(
    ...Object.values(partColourDeltaE(chPlain, forward, plainPicture, framePlain, parts)).map(
      (r) => r.deltaE,
    ),
  );
  // Arms raised 150° / 120° from the reference: stray pixels (torn seams, streaks; see metrics.ts).
  const raised = raisedArmsPose(stockPose(), (150 * Math.PI) / 180, (-120 * Math.PI) / 180);
  const frameRaised = await renderPuppetFrame(chPlain, raised);
  const stray = strayPixels(
    chPlain,
    boneTransforms(chPlain.rig.reference, raised),
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
async function sproutSeams(quality: 'smooth' | 'fast'): Promise<string> {
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
  const base = sliverPixels(await renderPuppetFrame(ch, reference), ch.plate, { box }).slivers;
  const poses = [
    ...[30, 60, 100].map((f) => job.poseAt(f)),
    raisedArmsPose(reference, (150 * Math.PI) / 180, (-120 * Math.PI) / 180),
  ];
  const slivers: number[] = [];
  let stray = 0;
  for (const pose of poses) {
    const frame = await renderPuppetFrame(ch, pose);
    slivers.push(sliverPixels(frame, ch.plate, { box }).slivers - base);
    stray += strayPixels(
      ch,
      boneTransforms(ch.rig.reference, pose),
      picture,
      ch.plate,
      frame,
    ).stray;
  }
  return (
    `512²  ${quality}  Sprout arms far from the reference (demo frames 30/60/100, raised 150°/120°): ` +
    `slivers ${slivers.join('/')} beyond the reference pose's ${base} (total ${slivers.reduce((a, b) => a + b, 0)}), ` +
    `stray ${stray} px`
  );
}

/** In-process frames/s and CPU per frame of one character over `poses` (after a warm-up). */
function inProcess(label: string, character: PuppetCharacter, poses: Float64Array[]): string {
  for (let i = 0; i < 8; i++) renderPuppetFrame(character, poses[i % poses.length]!);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const p of poses) renderPuppetFrame(character, p);
  const ms = (performance.now() - t0) / poses.length;
  const c1 = process.cpuUsage(c0);
  const cpu = (c1.user + c1.system) / 1000 / poses.length;
  return (
    `${label}  in-process wall ${ms.toFixed(2)} ms/frame = ${(1000 / ms).toFixed(1)} frames/s; ` +
    `CPU ${cpu.toFixed(2)} ms/frame = ${(1000 / cpu).toFixed(1)} frames/s on an idle core`
  );
}

/**
 * Before this renderer (ONNX graph v6 + compositor, commit eb29749), measured in-process by the
 * same loop (char4's 339 dab frames, one ORT thread) on this machine at load ~20, 2026-12-06.
 */
const BEFORE_CHAR4: Record<number, string> = {
  512: 'setup CPU 381 ms; CPU 14.00 ms/frame = 71.4 frames/s per core',
  1024: 'setup CPU 738 ms; CPU 30.48 ms/frame = 32.8 frames/s per core',
};

/**
 * AnimatedDrawings' char4 driven by its own retargeted dab (339 frames), framed on a square canvas
 * as AnimatedDrawings frames it: setup and per-frame cost in-process, and end to end through the
 * engine at 512².
 */
async function realDrawing(dir: string): Promise<string[]> {
  const rows: string[] = [];
  for (const size of SIZES) {
    const d = await frameDrawing('char4', dir, size);
    const rest = d.frame(char4RestPose());
    const poses = char4DabPoses().map(d.frame);
    const setup = { picturePath: d.picturePath, maskPath: d.maskPath, referencePose: rest };
    const setups: number[] = [];
    const setupCpu: number[] = [];
    let character: PuppetCharacter | undefined;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      character = await setupPuppetCharacter(setup);
      const c1 = process.cpuUsage(c0);
      setups.push(performance.now() - t0);
      setupCpu.push((c1.user + c1.system) / 1000);
    }
    rows.push(
      `${size}²  smooth  char4 (AnimatedDrawings) dab, 339 frames: setup ${median(setups).toFixed(0)} ms wall, ` +
        `${median(setupCpu).toFixed(0)} ms CPU (median of 3, in-process)`,
    );
    rows.push(inProcess(`${size}²  smooth  char4 dab`, character!, poses));
    if (BEFORE_CHAR4[size])
      rows.push(`${size}²  before (graph v6, eb29749): ${BEFORE_CHAR4[size]}`);
    if (size !== 512) continue;
    const engine = await EngineClient.start({ threads: 1 });
    try {
      const { characterId } = await engine.setupCharacter(setup);
      await engine.renderPuppetFrames({ characterId, poses: poses.slice(0, 8) });
      const { pid } = await engine.info();
      const cpu0 = cpuMs(pid);
      const t0 = performance.now();
      for (let i = 0; i < poses.length; i += 60)
        await engine.renderPuppetFrames({ characterId, poses: poses.slice(i, i + 60) });
      const wall = performance.now() - t0;
      const cpu = cpuMs(pid) - cpu0;
      rows.push(
        `${size}²  smooth  char4 dab through the engine: end-to-end ${(poses.length / (wall / 1000)).toFixed(1)} frames/s, ` +
          `engine CPU ${(cpu / poses.length).toFixed(2)} ms/frame`,
      );
    } finally {
      await engine.close();
    }
  }
  return rows;
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

      // Inside the engine, no IPC: the mesh renderer alone (same code as the engine).
      for (const quality of ['smooth', 'fast'] as const) {
        const character = await setupPuppetCharacter({
          picturePath: picture,
          referencePose: ref,
          quality,
        });
        rows.push(inProcess(`${size}²  ${quality}  drawn test character (wave)`, character, poses));
        if (size === 512) {
          rows.push(await quality512(dir, quality));
          rows.push(await sproutSeams(quality));
        }
      }
    }
    rows.push(...(await realDrawing(dir)));
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
