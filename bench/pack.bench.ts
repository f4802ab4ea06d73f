/**
 * Pack inspection benchmark (`npm run bench:pack`): what reading a model's header costs with the
 * streaming reader (`readOnnxHeader`, weights skipped by position) against decoding the whole
 * file with onnx-proto (what the loader did before, for graphs up to 256 MB): time and peak RSS,
 * each in its own process, on the fixture UNet (graph 1.8 MB, weights external) and on a
 * synthetic model with 400 MB of inline weights. Prints `name: value` lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onnxProto } from '#native-models/onnxProto';
import { readOnnxHeader } from '#main/engine/diffusion/pack/onnxHeader';

const here = fileURLToPath(import.meta.url);
const FIXTURE_UNET = resolve(
  here,
  '../../../shared/fixtures/sd15-tiny-real/diffusers-onnx/unet/model.onnx',
);

/** Child mode: read one file one way, print ms and peak RSS. */
async function child(mode: string, path: string): Promise<void> {
  const started = performance.now();
  if (mode === 'stream') {
    const h = await readOnnxHeader(path);
    if (h.nodes.length === 0 && h.inputs.length === 0) throw new Error('nothing read');
  } else {
    const m = onnxProto.ModelProto.decode(readFileSync(path));
    if (!m.graph) throw new Error('nothing read');
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** A model with one inline float initializer of `mb` megabytes, feeding an Identity. */
function bigInlineModel(dir: string, mb: number): string {
  const count = (mb * 1024 * 1024) / 4;
  const model = onnxProto.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'big',
      node: [{ opType: 'Add', input: ['x', 'w'], output: ['y'], name: 'add' }],
      initializer: [
        { name: 'w', dataType: 1, dims: [count], rawData: new Uint8Array(count * 4).fill(7) },
      ],
      input: [
        { name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: count }] } } } },
      ],
      output: [
        { name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: count }] } } } },
      ],
    },
  });
  const path = join(dir, 'big.onnx');
  writeFileSync(path, onnxProto.ModelProto.encode(model).finish());
  return path;
}

function measure(mode: string, path: string): { ms: number; maxRssMb: number } {
  const r = spawnSync(process.execPath, [...process.execArgv, here, '--child', mode, path], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; maxRssMb: number };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!);
  const dir = mkdtempSync(join(tmpdir(), 'bench-pack-'));
  try {
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const big = bigInlineModel(dir, 400);
    for (const [name, path] of [
      ['fixture unet (8068 nodes, weights external)', FIXTURE_UNET],
      ['synthetic model, 400 MB inline weights', big],
    ] as const)
      for (const mode of ['decode-whole-file', 'stream']) {
        const runs = [measure(mode, path), measure(mode, path), measure(mode, path)];
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[1]!;
        const rss = runs.map((r) => r.maxRssMb).sort((a, b) => a - b)[1]!;
        console.log(
          `${name}, ${mode}: ${ms.toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MB (median of 3 processes)`,
        );
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
