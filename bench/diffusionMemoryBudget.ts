/**
 * The memory budget in `npm run bench:diffusion`: peak RSS (measured, each case in its own
 * process) and UNet items per call for a `fused` segment of 24 frames with its anchor and
 * guidance (50 items unsplit) at 512², under a budget and with the budget off. A few UNet calls
 * suffice: every call of a render has the same size, so the reference pass and two calls of the
 * split reach the render's peak. Runs on the tiny pack (its 512² attention is real: 2 heads ×
 * 4096 × 8192 scores per item) and on an SD1.5-width pack when one is given
 * (`POSE_STUDIO_SD15_PACK`, or /work/cache/sd15-width-pack with a READY file).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { gib, MemoryBudgetError } from '#shared/diffusion/memory/memoryEstimate';
import { describeMemory, memoryReport } from '#shared/diffusion/memory/memoryReport';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { Denoiser } from '#main/engine/diffusion/pipeline/denoiser';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { memoryInputs, readPackMemory } from '#main/engine/diffusion/pipeline/packMemory';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import { encodePrompt } from '#main/engine/diffusion/pipeline/textConditioning';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';

const SIZE = 512;
const SEGMENT = 24;
const CALLS = 2;

interface ChildResult {
  maxRssKb: number;
  itemsPerCall: number;
  unetCalls: number;
  unetItems: number;
  report: string;
  /** Peak RSS (KiB) reached by the end of each phase: open, reference pass, the calls. */
  phases: { open: number; bank: number; calls: number };
  peakEstimate: number;
  unsplitEstimate: number;
  seconds: number;
}

/** In the child: open the pack, one reference pass, then CALLS calls of the split (or one unsplit). */
export async function budgetChild(packDir: string, budget: string): Promise<void> {
  const t0 = performance.now();
  // Arena off as for a real pack (memoryArena.ts): the tiny pack's weights are small, but at
  // 512² its activations are those of a real pack.
  const generator = await DiffusionGenerator.open(
    packDir,
    new LocalSessionProvider({ cpuMemArena: false }),
    { bankCacheDir: null },
  );
  const afterOpen = process.resourceUsage().maxRSS;
  const budgetBytes = budget === 'off' ? null : Math.round(Number(budget) * 1024 ** 3);
  const report = memoryReport(
    memoryInputs(generator.memory, { width: SIZE, height: SIZE }),
    { windowFrames: SEGMENT, anchor: true, guided: true },
    budgetBytes,
  );
  const items = Math.min(report.largestCall, CALLS * report.plan.itemsPerCall);
  const frames = Math.max(1, Math.floor(items / 2)); // guidance: two items per frame
  const latent = SIZE / 8;
  const denoiser = new Denoiser(generator.pack, generator.unet, {
    guidanceScale: 7.5,
    conditioningScale: 1,
    latentHeight: latent,
    latentWidth: latent,
    maxItemsPerCall: report.plan.itemsPerCall,
  });
  const text = await encodePrompt(generator.pack, 'a dancer', '');
  const size = 4 * latent * latent;
  const condition =
    generator.pack.signatures.controlnet !== null
      ? new Float32Array(3 * SIZE * SIZE).fill(0.25)
      : null;
  const bank = await denoiser.writeBank(frameNoise(1, 0, size), 0, text, condition);
  const afterBank = process.resourceUsage().maxRSS;
  const latents = Array.from({ length: frames }, (_, f) => frameNoise(2, f, size));
  await denoiser.predict(latents, 500, text, condition ? latents.map(() => condition) : null, bank);
  const afterCalls = process.resourceUsage().maxRSS;
  await generator.dispose();
  const result: ChildResult = {
    maxRssKb: process.resourceUsage().maxRSS,
    itemsPerCall: Math.min(report.plan.itemsPerCall, report.largestCall),
    unetCalls: denoiser.stats.unetCalls,
    unetItems: denoiser.stats.unetItems,
    report: describeMemory(report),
    phases: { open: afterOpen, bank: afterBank, calls: afterCalls },
    peakEstimate: report.plan.peakBytes,
    unsplitEstimate: report.plan.unsplitPeakBytes,
    seconds: (performance.now() - t0) / 1000,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(self: string, packDir: string, budget: string): ChildResult | string {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--budget-memory', packDir, budget],
    { encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  if (child.status !== 0)
    return (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' ');
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

/** Budget on, then off, for one pack; prints `name: value` lines. */
async function benchPack(self: string, label: string, packDir: string, budgetGB: number) {
  // The estimate for "off" first, in this process: measured only if it fits in free memory.
  const off = memoryReport(
    memoryInputs(await readPackMemory(await loadPackManifest(packDir)), {
      width: SIZE,
      height: SIZE,
    }),
    { windowFrames: SEGMENT, anchor: true, guided: true },
    null,
  );
  const name = `${label} ${SIZE}², fused T=${SEGMENT} + anchor, guidance`;
  // A budget the estimate refuses is not tried: opening the pack alone could exhaust the machine.
  try {
    memoryReport(
      memoryInputs(await readPackMemory(await loadPackManifest(packDir)), {
        width: SIZE,
        height: SIZE,
      }),
      { windowFrames: SEGMENT, anchor: true, guided: true },
      budgetGB * 1024 ** 3,
    );
  } catch (e) {
    if (!(e instanceof MemoryBudgetError)) throw e;
    console.log(`${name}, budget ${budgetGB} GB: refused before opening the pack: ${e.message}`);
    console.log(`${name}, budget off: ${describeMemory(off)}`);
    return;
  }
  const on = runChild(self, packDir, String(budgetGB));
  if (typeof on === 'string') {
    console.log(`${name}, budget ${budgetGB} GB: refused or failed: ${on}`);
  } else {
    console.log(`${name}, budget ${budgetGB} GB: ${on.report}`);
    console.log(
      `${name}, budget ${budgetGB} GB: UNet items per call ${on.itemsPerCall} (50 unsplit); ` +
        `measured ${on.unetCalls} calls / ${on.unetItems} items; peak RSS ${gib(on.maxRssKb * 1024)} ` +
        `(estimate ${gib(on.peakEstimate)}); ${on.maxRssKb * 1024 <= budgetGB * 1024 ** 3 ? 'under' : 'OVER'} the budget (${on.seconds.toFixed(1)} s)`,
    );
    console.log(
      `${name}, budget ${budgetGB} GB: peak RSS by phase: pack open ${gib(on.phases.open * 1024)}, ` +
        `reference pass ${gib(on.phases.bank * 1024)}, UNet calls ${gib(on.phases.calls * 1024)}`,
    );
  }
  console.log(`${name}, budget off: ${describeMemory(off)}`);
  const free = freemem();
  if (off.plan.peakBytes < 0.7 * free) {
    const measured = runChild(self, packDir, 'off');
    if (typeof measured === 'string') console.log(`${name}, budget off: failed: ${measured}`);
    else
      console.log(
        `${name}, budget off: measured ${measured.unetCalls} call of ${measured.unetItems} items, ` +
          `peak RSS ${gib(measured.maxRssKb * 1024)} (estimate ${gib(measured.peakEstimate)}; ${measured.seconds.toFixed(1)} s)`,
      );
  } else
    console.log(
      `${name}, budget off: not measured — needs ≈ ${gib(off.plan.peakBytes)}, this machine has ` +
        `${gib(free)} free of ${gib(totalmem())}`,
    );
}

export async function memoryBudgetBench(self: string, tinyPackDir: string): Promise<void> {
  await benchPack(self, 'tiny pack', tinyPackDir, 2);
  const sd15 =
    process.env['POSE_STUDIO_SD15_PACK'] ??
    (existsSync('/work/cache/sd15-width-pack/READY') ? '/work/cache/sd15-width-pack' : null);
  if (!sd15) {
    console.log('SD1.5-width pack: none (set POSE_STUDIO_SD15_PACK to a pack folder)');
    return;
  }
  const budget = Number(process.env['POSE_STUDIO_SD15_BUDGET_GB'] ?? 12);
  try {
    await benchPack(self, 'SD1.5-width pack', sd15, budget);
  } catch (e) {
    if (e instanceof MemoryBudgetError) console.log(`SD1.5-width pack: ${e.message}`);
    else throw e;
  }
}
