/**
 * Resident memory of the reference UNet (`npm run bench:reference-unet -- [unet/model.onnx …]`):
 * before, a render held three UNet sessions — the plain UNet opened by the pack loader, the bank
 * writer and the bank reader, three copies of the weights; now one session serves all three
 * (surgery/referenceAttention.ts). Each layout is opened in its own process (RSS after opening,
 * after one bank pass and one reader call at batch 2 when the UNet takes no ControlNet residuals;
 * not peak RSS: Linux children inherit the parent's high-water mark, which would hide theirs).
 * Without arguments: the fixture UNets of ../shared/fixtures/sd15-tiny-real.
 * The "before" layout is reproduced with today's derived graph opened twice next to the file:
 * the same weights and nearly the same graphs as the old writer and reader.
 * `--synthetic`: also a model whose weights dominate (one diffusers self-attention block at width
 * 1024 and 8 feed-forward pairs 1024 → 4096 → 1024: 272 MB of float32 weights in
 * model.onnx_data), built in a temp folder, for when no SD1.5-width pack is at hand.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { rewriteModelBytes } from '#main/engine/diffusion/rewrite/rewriteForProvider';
import { deriveReferenceUnet } from '#main/engine/diffusion/surgery/referenceAttention';
import { ReferenceUnet } from '#main/engine/diffusion/surgery/referenceUnet';
import { sessionConfig } from '#main/engine/sessionConfig';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { SD15_TINY_REAL, tinyRealUnet } from '#test/helpers/diffusion/sd15TinyReal';
import { GraphBuilder } from '#native-models/diffusion/tinyPack/graphBuilder';
import { attention, linear } from '#native-models/diffusion/tinyPack/unetBlocks';
import { writeModel } from '#native-models/diffusion/tinyPack/writeModel';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';

/** A UNet-signature model whose weights dominate its memory (see the header). */
async function syntheticUnet(dir: string): Promise<string> {
  const g = new GraphBuilder(new SeededRandom(5));
  const sample = g.input('sample', 'float32', ['batch', 4, 8, 8]);
  g.input('timestep', 'float32', ['batch']);
  g.input('encoder_hidden_states', 'float32', ['batch', 77, 32]);
  const tokens = g.op(
    'Transpose',
    '/in/Transpose',
    [g.op('Reshape', '/in/Reshape', [sample, g.int64s([0, 4, 64])])],
    {
      perm: [0, 2, 1],
    },
  );
  let h = linear(g, '/proj_in', tokens, 4, 1024);
  h = g.op('Add', '/attn/residual', [h, attention(g, '/blocks.0/attn1', h, h, 1024, 1024, 8)]);
  for (let i = 0; i < 8; i++) {
    const up = g.op('Relu', `/ff.${i}/Relu`, [linear(g, `/ff.${i}/up`, h, 1024, 4096, false)]);
    h = g.op('Add', `/ff.${i}/residual`, [h, linear(g, `/ff.${i}/down`, up, 4096, 1024, false)]);
  }
  const out = linear(g, '/proj_out', h, 1024, 4);
  const back = g.op('Reshape', '/out/Reshape', [
    g.op('Transpose', '/out/Transpose', [out], { perm: [0, 2, 1] }),
    g.int64s([0, 4, 8, 8]),
  ]);
  g.renameOutput(back, 'out_sample');
  g.output('out_sample', 'float32', ['batch', 4, 8, 8]);
  const path = join(dir, 'unet', 'model.onnx');
  await writeModel(g.toModel('synthetic wide UNet', 17), path, {
    fileName: 'model.onnx_data',
    minBytes: 1024,
  });
  return path;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Feeds for a UNet without residual inputs: batch 2, 8×8 latents (64×64 pixels), 77 tokens. */
function feeds(session: ort.InferenceSession, batch: number): Record<string, ort.Tensor> | null {
  if (session.inputNames.some((n) => /residual/.test(n))) return null;
  const meta = session.inputMetadata.find((m) => m.name === 'encoder_hidden_states');
  const width = meta && meta.isTensor ? Number(meta.shape.at(-1)) : 768;
  return {
    sample: new ort.Tensor('float32', frameNoise(1, 0, batch * 256), [batch, 4, 8, 8]),
    timestep: new ort.Tensor('float32', new Float32Array(batch).fill(500), [batch]),
    encoder_hidden_states: new ort.Tensor('float32', frameNoise(2, 0, batch * 77 * width, 0.5), [
      batch,
      77,
      width,
    ]),
  };
}

async function child(layout: 'three' | 'one', model: string): Promise<void> {
  const start = process.memoryUsage().rss;
  let ran = false;
  let opened: number;
  if (layout === 'one') {
    const unet = await ReferenceUnet.open(
      model,
      new LocalSessionProvider({ intraOpNumThreads: 1 }),
    );
    opened = process.memoryUsage().rss;
    const f = feeds(unet.session, 1);
    if (f) {
      const { bank } = await unet.writeBank(f);
      await unet.run(feeds(unet.session, 2)!, bank);
      ran = true;
    }
  } else {
    const options = { intraOpNumThreads: 1, extra: sessionConfig(dirname(model)) };
    const fileBytes = await readFile(model);
    const rewritten = rewriteModelBytes(fileBytes, 'cpu');
    if ('refused' in rewritten) throw new Error(rewritten.refused);
    const { bytes: derived, slots } = deriveReferenceUnet(rewritten.bytes);
    const plain = await ort.InferenceSession.create(rewritten.bytes, options);
    const writer = await ort.InferenceSession.create(derived, options);
    const reader = await ort.InferenceSession.create(derived, options);
    opened = process.memoryUsage().rss;
    const f = feeds(writer, 1);
    if (f) {
      const extra = (b: number, bank: Record<string, ort.Tensor>) => ({
        ...bank,
        cross_frame_source: new ort.Tensor(
          'int64',
          BigInt64Array.from({ length: b }, (_, i) => BigInt(i)),
          [b],
        ),
        cross_frame_tokens: new ort.Tensor('int64', BigInt64Array.from([0n]), [1]),
        style_fidelity: new ort.Tensor('float32', Float32Array.from([0]), [1]),
        bank_output_tokens: new ort.Tensor(
          'int64',
          BigInt64Array.from([b === 1 ? 1n << 40n : 0n]),
          [1],
        ),
      });
      const empty = Object.fromEntries(
        slots.flatMap((s) =>
          [s.keyName, s.valueName].map((n) => [
            n,
            new ort.Tensor('float32', new Float32Array(0), [1, 0, s.channels!]),
          ]),
        ),
      );
      const written = await writer.run({ ...f, ...extra(1, empty) });
      const bank = Object.fromEntries(
        slots.flatMap((s) => [
          [s.keyName, written[s.writtenKey]!],
          [s.valueName, written[s.writtenValue]!],
        ]),
      );
      await reader.run({ ...feeds(reader, 2)!, ...extra(2, bank) }, ['out_sample']);
      ran = true;
    }
    void plain;
  }
  const after = process.memoryUsage().rss;
  console.log(JSON.stringify({ start, opened, after, ran }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] as 'three' | 'one', args[2]!);
  const synthetic = args.includes('--synthetic');
  const paths = args.filter((a) => a !== '--synthetic');
  const models = paths.length > 0 ? paths : ['diffusers-onnx', 'olive-fused-dml'].map(tinyRealUnet);
  if (paths.length === 0) console.log(`models: ${SD15_TINY_REAL}`);
  const scratch = synthetic ? mkdtempSync(join(tmpdir(), 'synthetic-unet-')) : null;
  if (scratch) models.push(await syntheticUnet(scratch));
  const self = fileURLToPath(import.meta.url);
  for (const model of models) {
    const result: Record<string, { opened: number; after: number; ran: boolean; start: number }> =
      {};
    for (const layout of ['three', 'one'] as const) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', layout, model], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (run.status !== 0) throw new Error(`${layout} failed: ${run.stderr}`);
      result[layout] = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    }
    const [before, now] = [result['three']!, result['one']!];
    console.log(`${model}`);
    console.log(
      `  UNet sessions before (plain + writer + reader): 3 — RSS opened ${mb(before.opened)} MB (+${mb(before.opened - before.start)}), after runs ${mb(before.after)} MB`,
    );
    console.log(
      `  UNet sessions now (one reference UNet):          1 — RSS opened ${mb(now.opened)} MB (+${mb(now.opened - now.start)}), after runs ${mb(now.after)} MB${now.ran ? '' : ' (no runs: the UNet takes ControlNet residuals)'}`,
    );
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

await main();
