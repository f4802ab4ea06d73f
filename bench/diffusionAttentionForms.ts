/**
 * What one attention holds, measured: for each attention form of the real-structure fixtures
 * (../shared/fixtures/sd15-tiny-real: diffusers' unfused export, ORT's cpu_mha fusion), the
 * UNet's peak RSS per batch item at 512² (one and two items, each in its own process, CPU,
 * arena off as for a real pack), divided by one level-0 self-attention's scores (8 heads ×
 * 4096 × 4096 floats = 0.5 GiB), beside the score buffers the graph reader counts for the
 * memory estimate (pipeline/scoreBuffers.ts). The packs are 32 channels wide, so the scores are
 * nearly all of an item: the ratio is the buffers ONNX Runtime keeps, plus a few percent.
 * `npm run bench:diffusion -- --attention-forms`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { attentionShapes } from '#main/engine/diffusion/pipeline/attentionShapes';
import { tinyRealUnet, tinyRealUnetFeeds } from '#test/helpers/diffusion/sd15TinyReal';

const LATENT = 64; // 512² pixels
const SCORES = 8 * (LATENT * LATENT) ** 2 * 4;
const FORMS = [
  ['unfused, diffusers export (torch 1.x baddbmm)', 'diffusers-onnx'],
  ['fused, ORT cpu_mha (Attention + MultiHeadAttention)', 'olive-fused-cpu'],
] as const;

/** In the child: open one UNet, run `items` items once, print peak RSS (bytes) after each. */
export async function attentionFormChild(pack: string, items: number): Promise<void> {
  const session = await ort.InferenceSession.create(tinyRealUnet(pack), {
    enableCpuMemArena: false,
    intraOpNumThreads: 2,
  });
  const opened = process.resourceUsage().maxRSS * 1024;
  const frames = Array.from({ length: items }, (_, i) => i);
  await session.run(tinyRealUnetFeeds(session.inputNames, frames, 0.5, LATENT));
  const ran = process.resourceUsage().maxRSS * 1024;
  await session.release();
  process.stdout.write(JSON.stringify({ opened, ran }) + '\n');
}

function child(self: string, pack: string, items: number): { opened: number; ran: number } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--attention-form', pack, String(items)],
    { encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  if (run.status !== 0) throw new Error(`${pack}: ${(run.stderr || run.stdout).trim()}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { opened: number; ran: number };
}

export function attentionFormsBench(self: string): void {
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
  for (const [form, pack] of FORMS) {
    const shape = attentionShapes(readFileSync(tinyRealUnet(pack)));
    const counted = Math.max(
      ...shape.attentions.filter((a) => a.level === 0).map((a) => a.scoreBuffers),
    );
    const one = child(self, pack, 1);
    const two = child(self, pack, 2);
    const perItem = two.ran - two.opened - (one.ran - one.opened);
    console.log(
      `attention form ${form}: per item ${gib(perItem)} at 512² = ${(perItem / SCORES).toFixed(2)} ` +
        `score buffers of ${gib(SCORES)} (one item ${gib(one.ran - one.opened)}, two ${gib(two.ran - two.opened)}); ` +
        `the estimate counts ${counted}`,
    );
  }
}
