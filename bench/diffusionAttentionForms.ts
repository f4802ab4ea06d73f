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
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnxProto } from '#native-models/onnxProto';
import { attentionShapes } from '#main/engine/diffusion/pipeline/attentionShapes';
import {
  FUSED_SCORE_BUFFERS,
  indexGraph,
  unfusedScoreBuffers,
} from '#main/engine/diffusion/pipeline/scoreBuffers';
import { decodeModel } from '#main/engine/diffusion/rewrite/graphEdit';
import { tileSelfAttentions } from '#main/engine/diffusion/surgery/tiledAttention';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyRealUnet, tinyRealUnetFeeds } from '#test/helpers/diffusion/sd15TinyReal';

const LATENT = 64; // 512² pixels
const SCORES = 8 * (LATENT * LATENT) ** 2 * 4;
/** Level-0 self-attention's Softmax nodes of a file, for the untiled count. */
function untiledCount(pack: string): number {
  const graph = onnxProto.ModelProto.decode(readFileSync(tinyRealUnet(pack))).graph!;
  const index = indexGraph(graph);
  const softmaxes = (graph.node ?? []).filter(
    (n) => n.opType === 'Softmax' && /down_blocks\.0\/.*attn1/.test(n.name ?? ''),
  );
  return Math.max(...softmaxes.map((n) => unfusedScoreBuffers(n, index)));
}

const tiledCount = (pack: string) =>
  Math.max(
    ...attentionShapes(readFileSync(tinyRealUnet(pack)))
      .attentions.filter((a) => a.level === 0 && a.self)
      .map((a) => a.scoreBuffers),
  );

const FORMS = [
  ['unfused as exported (diffusers, torch 1.x baddbmm)', 'diffusers-onnx', 'as is', untiledCount],
  [
    'unfused tiled into MultiHeadAttention (what the app runs)',
    'diffusers-onnx',
    'tiled',
    tiledCount,
  ],
  [
    'ORT Attention as exported (olive cpu_mha)',
    'olive-fused-cpu',
    'as is',
    () => FUSED_SCORE_BUFFERS,
  ],
] as const;

/** In the child: open one UNet, run `items` items once, print peak RSS (bytes) after each. */
export async function attentionFormChild(pack: string, items: number, form: string): Promise<void> {
  const file = tinyRealUnet(pack);
  let session: ort.InferenceSession;
  if (form === 'tiled') {
    const model = decodeModel(readFileSync(file), 'unet/model.onnx');
    tileSelfAttentions(model);
    session = await new LocalSessionProvider({ cpuMemArena: false, intraOpNumThreads: 2 }).open({
      kind: 'bytes',
      bytes: onnxProto.ModelProto.encode(model).finish(),
      externalDataDir: dirname(file),
      label: 'unet (tiled)',
    });
  } else
    session = await ort.InferenceSession.create(file, {
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

function child(
  self: string,
  pack: string,
  items: number,
  form: string,
): { opened: number; ran: number } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--attention-form', pack, String(items), form],
    { encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  if (run.status !== 0) throw new Error(`${pack}: ${(run.stderr || run.stdout).trim()}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { opened: number; ran: number };
}

export function attentionFormsBench(self: string): void {
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
  for (const [form, pack, how, count] of FORMS) {
    const counted = count(pack);
    const one = child(self, pack, 1, how);
    const two = child(self, pack, 2, how);
    const perItem = two.ran - two.opened - (one.ran - one.opened);
    console.log(
      `attention form ${form}: per item ${gib(perItem)} at 512² = ${(perItem / SCORES).toFixed(2)} ` +
        `score buffers of ${gib(SCORES)} (one item ${gib(one.ran - one.opened)}, two ${gib(two.ran - two.opened)}); ` +
        `the estimate counts ${counted}`,
    );
  }
}
