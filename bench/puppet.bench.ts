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
import { EngineClient } from '../src-main/engine/client';
import { ModelRegistry } from '../src-main/engine/models/modelRegistry';
import { setupPuppetCharacter } from '../src-main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '../src-main/engine/puppet/puppetRenderer';
import { stockPose, writeCharacter } from '../test/fixtures/characters/drawCharacter';
import { wavePose } from '../test/integration/engine/poses';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const FRAMES = Number(arg('frames', '240'));
const THREADS = arg('threads', '1,2').split(',').map(Number);
const SIZES = [512, 1024];

/** Peak resident memory of a process (Linux VmHWM), else undefined. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
const mb = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

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

      for (const threads of THREADS) {
        const engine = await EngineClient.start({ threads, modelCacheDir: join(dir, 'models') });
        try {
          const setups: number[] = [];
          let id = '';
          for (let r = 0; r < 3; r++) {
            const c = await engine.setupCharacter({ picturePath: picture, referencePose: ref });
            setups.push(c.setupMs);
            id = c.characterId;
          }
          await engine.renderPuppetFrames({ characterId: id, poses: poses.slice(0, 8) }); // warm-up
          const t0 = performance.now();
          for (let i = 0; i < poses.length; i += 60)
            await engine.renderPuppetFrames({ characterId: id, poses: poses.slice(i, i + 60) });
          const fps = poses.length / ((performance.now() - t0) / 1000);
          const info = await engine.info();
          rows.push(
            `${size}²  threads ${threads}  setup ${median(setups).toFixed(0)} ms (median of 3)  ` +
              `end-to-end ${fps.toFixed(1)} frames/s  engine peak RSS ${mb(peakRss(info.pid) ?? info.rssBytes)}`,
          );
        } finally {
          await engine.close();
        }
      }

      // Inside the engine, no IPC: the warp graph alone (one session, same code as the engine).
      const { bytes } = await new ModelRegistry(join(dir, 'models')).load('puppet-warp');
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      const character = await setupPuppetCharacter({ picturePath: picture, referencePose: ref });
      const run = (f: Record<string, ort.Tensor>) =>
        session.run(f) as Promise<Record<string, ort.Tensor>>;
      for (let i = 0; i < 8; i++) await renderPuppetFrame(character, poses[i]!, run);
      const t0 = performance.now();
      for (const p of poses) await renderPuppetFrame(character, p, run);
      const ms = (performance.now() - t0) / poses.length;
      rows.push(
        `${size}²  threads 1  warp only (in-process) ${ms.toFixed(2)} ms/frame = ${(1000 / ms).toFixed(1)} frames/s`,
      );
      await session.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `puppet bench — ${FRAMES} frames per run, CPU, ${(await import('node:os')).cpus().length} cores`,
  );
  for (const r of rows) console.log(r);
}

void main();
