/**
 * What a puppet character's setup costs through the engine on each real picture, cold and warm:
 * per picture a fresh engine (as each render starts one per core), three setups of the same
 * picture, the engine's CPU and the client's wall clock for each, and the cold first setup's
 * phases. AnimatedDrawings' char4, char5 and char6 framed on 512² (as bench:puppet-real frames
 * them) and the two photos at their own size (their first setup includes loading the
 * person-segmentation model, printed apart).
 * Run: npm run bench:puppet-setup   [-- --only char4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  frame,
  framedPicture,
  loadDrawing,
  photos,
  writeRgba,
} from '#test/helpers/puppetReal/fixtures';
import { PuppetDriver } from '#test/helpers/puppetReal/puppetDriver';

interface Picture {
  name: string;
  path: string;
  reference: Float64Array;
}

async function pictures(dir: string): Promise<Picture[]> {
  const out: Picture[] = [];
  for (const name of ['char4', 'char5', 'char6']) {
    const d = await loadDrawing(name);
    const { framing, reference } = frame(d, []);
    const rgba = await framedPicture(d, framing);
    out.push({ name, path: await writeRgba(join(dir, `${name}.png`), rgba, 512, 512), reference });
  }
  for (const p of await photos()) out.push({ name: p.name, path: p.path, reference: p.reference });
  return out;
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1]
    : '';
  console.log(
    `puppet setup through the engine — ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} (CPU is the engine process's, all threads; wall is the client's)`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'puppet-setup-'));
  try {
    for (const p of await pictures(dir)) {
      if (only && p.name !== only) continue;
      const engine = await PuppetDriver.start();
      try {
        const cpu: number[] = [];
        const wall: number[] = [];
        let id = '';
        let first = '';
        for (let r = 0; r < 3; r++) {
          const c0 = engine.cpuMs();
          const t0 = performance.now();
          const info = await engine.setup(p.path, p.reference);
          wall.push(performance.now() - t0);
          cpu.push(engine.cpuMs() - c0);
          if (id) await engine.engine.releaseCharacter(id);
          id = info.characterId;
          if (r > 0) continue;
          first = (info.phases ?? [])
            .map((ph) => `${ph.phase} ${ph.ms.toFixed(0)}/${ph.cpuMs.toFixed(0)}`)
            .join(', ');
          if (info.segmentation)
            first += `; segmentation model load ${info.segmentation.loadMs.toFixed(0)} ms, run ${info.segmentation.runMs.toFixed(0)} ms`;
        }
        const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
        console.log(`${p.name}: engine CPU ${ms(cpu)} ms, wall ${ms(wall)} ms (setups 1 / 2 / 3)`);
        console.log(`  cold first setup, wall/CPU ms per phase: ${first}`);
      } finally {
        await engine.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
