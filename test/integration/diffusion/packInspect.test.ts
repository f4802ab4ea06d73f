/**
 * `pose-studio pack inspect` and the loader on the real-structure fixture packs
 * (../shared/fixtures/sd15-tiny-real), alone and composed the ways users compose them: separate
 * folders (--controlnet / --unet, project controlNetPath / unetPath), component folders copied
 * into the base pack, and OnnxStack's layout (a plain unet/ beside a ControlNet-aware UNet in
 * controlnet/). The DirectML-fused pack is refused before any session opens, in one line.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '#main/cli/commands/pack';
import { inspectPack } from '#main/engine/diffusion/pack/inspectPack';
import { openPack } from '#main/engine/diffusion/pack/openPack';
import { checkPackRuns, providerProblems } from '#main/engine/diffusion/pack/packFitness';
import { rewriteForProvider } from '#main/engine/diffusion/pack/providerRewrite';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';

const ROOT = resolve(__dirname, '../../..');
const REAL = resolve(ROOT, '../shared/fixtures/sd15-tiny-real');
const base = join(REAL, 'diffusers-onnx');
const amuse = join(REAL, 'controlnet-openpose-onnx');
const fusedCpu = join(REAL, 'olive-fused-cpu');
const fusedDml = join(REAL, 'olive-fused-dml');

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pack-inspect-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const byFile = (r: Awaited<ReturnType<typeof inspectPack>>, end: string) =>
  r.models.find((m) => m.file.endsWith(end))!;

describe('pack inspect on the real-structure fixtures', () => {
  it('diffusers-onnx alone: a complete base, plain UNet, no ControlNet (not renderable with poses)', async () => {
    const r = await inspectPack({ packDir: base });
    expect(r.layouts).toContain('diffusers/optimum ONNX folders');
    expect(r.models.map((m) => [m.file, m.role])).toEqual([
      ['text_encoder/model.onnx', 'text_encoder'],
      ['unet/model.onnx', 'unet'],
      ['vae_decoder/model.onnx', 'vae_decoder'],
      ['vae_encoder/model.onnx', 'vae_encoder'],
    ]);
    const unet = byFile(r, 'unet/model.onnx');
    expect(unet).toMatchObject({
      precision: 'float32',
      opsets: { 'ai.onnx': 14 },
      nodes: 8068,
      fused: {},
      externalData: [{ file: 'weights.pb', bytes: 4293632 }],
      providers: { cpu: true, cuda: true, dml: true, coreml: true },
    });
    expect(unet.controlnetResiduals).toBe(0);
    expect(byFile(r, 'vae_encoder/model.onnx').notes.join()).toMatch(/RandomNormalLike/);
    expect(r.rendersOnCpu).toBe(false);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^no ControlNet: add an OpenPose ControlNet/),
    ]);
  });

  it('base + the Amuse/OnnxStack ControlNet and ControlNet-aware UNet as separate folders', async () => {
    const r = await inspectPack({ packDir: base, controlNetPath: amuse, unetPath: amuse });
    expect(r.layouts).toContain('Amuse/OnnxStack ControlNet naming');
    const cn = byFile(r, 'controlnet-openpose-onnx/controlnet/model.onnx');
    expect(cn).toMatchObject({
      role: 'controlnet',
      origin: 'controlNetPath',
      conditioningScaleInput: true,
      residualNaming: expect.stringMatching(/^down_block_<i>_additional_residual \(Amuse/),
      nodes: 3596,
    });
    const unet = byFile(r, 'controlnet-openpose-onnx/unet/model.onnx');
    expect(unet).toMatchObject({ role: 'unet', origin: 'unetPath', controlnetResiduals: 13 });
    expect(r.chosen.unet).toBe(join(amuse, 'unet/model.onnx'));
    expect(r.chosen.controlnet).toBe(join(amuse, 'controlnet/model.onnx'));
    expect(r.providers).toEqual({ cpu: true, cuda: true, dml: true, coreml: true });
    expect(r.problems).toEqual([]);
    expect(r.rendersOnCpu).toBe(true);
  });

  it('base + the CPU-fused Olive UNet: Attention and separate-QKV MultiHeadAttention, runs on CPU', async () => {
    const r = await inspectPack({ packDir: base, controlNetPath: amuse, unetPath: fusedCpu });
    const unet = byFile(r, 'olive-fused-cpu/unet/model.onnx');
    expect(unet).toMatchObject({
      controlnetResiduals: 13,
      opsets: { 'ai.onnx': 14, 'com.microsoft': 1 },
      producer: 'onnxruntime.transformers',
      fused: { Attention: 16, 'MultiHeadAttention/separate': 16, Gelu: 16 },
      externalData: [{ file: 'model.onnx.data', bytes: 4293632 }],
      providers: { cpu: true, cuda: true, dml: true, coreml: true },
    });
    expect(r.layouts.join()).toMatch(/Olive\/ORT-optimised \(CPU-runnable fusion\)/);
    expect(r.rendersOnCpu).toBe(true);
  });

  it('base + the DirectML-fused UNet and ControlNet: GPU-fused, rewritten for CPU (the report says so)', async () => {
    const r = await inspectPack({ packDir: base, controlNetPath: fusedDml, unetPath: fusedDml });
    const unet = byFile(r, 'olive-fused-dml/unet/model.onnx');
    expect(unet.fused).toEqual({
      'MultiHeadAttention/packed-kv': 16,
      'MultiHeadAttention/packed-qkv': 16,
      GroupNorm: 61,
      Gelu: 16,
    });
    expect(unet.providers).toEqual({ cpu: false, cuda: true, dml: true, coreml: false });
    expect(byFile(r, 'olive-fused-dml/controlnet/model.onnx').fused).toMatchObject({
      GroupNorm: 27,
      'MultiHeadAttention/packed-qkv': 7,
      'MultiHeadAttention/packed-kv': 7,
    });
    // As they are, only CUDA/DirectML have kernels for these ops; on CPU they are rewritten.
    expect(r.providers).toEqual({ cpu: false, cuda: true, dml: true, coreml: false });
    expect(r.rendersOnCpu).toBe(true);
    expect(r.problems).toEqual([]);
    expect([...r.rewrites].sort()).toEqual([
      expect.stringMatching(
        /olive-fused-dml\/controlnet\/model.onnx is rewritten for cpu: GroupNorm → standard ops, packed MultiHeadAttention → separate Q, K, V$/,
      ),
      expect.stringMatching(
        /olive-fused-dml\/unet\/model.onnx is rewritten for cpu: GroupNorm → standard ops, packed MultiHeadAttention → separate Q, K, V$/,
      ),
    ]);
  });

  it('a component pack alone says to use it with a base pack', async () => {
    for (const dir of [amuse, fusedCpu, fusedDml]) {
      const r = await inspectPack({ packDir: dir });
      expect(r.rendersOnCpu).toBe(false);
      expect(r.problems.map((p) => p.message).join('\n')).toMatch(
        /holds only components .* use it with a base pack/,
      );
    }
  });

  it('component folders copied into the base pack replace its UNet and add the ControlNet', async () => {
    const dir = join(root, 'copied');
    cpSync(base, dir, { recursive: true });
    rmSync(join(dir, 'unet'), { recursive: true });
    cpSync(join(amuse, 'unet'), join(dir, 'unet'), { recursive: true });
    cpSync(join(amuse, 'controlnet'), join(dir, 'controlnet'), { recursive: true });
    const m = await loadPackManifest(dir);
    expect(m.components.unet?.rel).toBe('unet/model.onnx');
    expect(m.components.controlnet?.rel).toBe('controlnet/model.onnx');
    const r = await inspectPack({ packDir: dir });
    expect(r.rendersOnCpu).toBe(true);
  });

  it("OnnxStack's layout: plain unet/ beside a ControlNet-aware UNet in controlnet/, ControlNet given separately", async () => {
    const dir = join(root, 'onnxstack');
    cpSync(base, dir, { recursive: true });
    cpSync(join(amuse, 'unet'), join(dir, 'controlnet'), { recursive: true });
    const m = await loadPackManifest({
      packDir: dir,
      controlNetPath: join(amuse, 'controlnet'),
    });
    expect(m.components.unet?.rel).toBe('controlnet/model.onnx');
    expect(m.models.filter((x) => x.recognised.role === 'unet')).toHaveLength(2);
  });

  it('the fused CPU UNet loads and agrees with the unfused one on zero residuals', async () => {
    const provider = new LocalSessionProvider();
    const feeds = (names: readonly string[]) => {
      const f: Record<string, ort.Tensor> = {
        sample: new ort.Tensor(
          'float32',
          Float32Array.from({ length: 2 * 4 * 64 }, (_, i) => Math.sin(i)),
          [2, 4, 8, 8],
        ),
        timestep: new ort.Tensor('float32', Float32Array.from([981, 981]), [2]),
        encoder_hidden_states: new ort.Tensor(
          'float32',
          Float32Array.from({ length: 2 * 77 * 32 }, (_, i) => Math.cos(i) * 0.5),
          [2, 77, 32],
        ),
      };
      const shapes = [8, 8, 8, 4, 4, 4, 2, 2, 2, 1, 1, 1];
      names.forEach((n, i) => {
        const s = shapes[i] ?? 1;
        f[n] = new ort.Tensor('float32', new Float32Array(2 * 32 * s * s), [2, 32, s, s]);
      });
      return f;
    };
    const outputs: Float32Array[] = [];
    for (const unetPath of [join(amuse, 'unet'), join(fusedCpu, 'unet')]) {
      const manifest = await loadPackManifest({ packDir: base, controlNetPath: amuse, unetPath });
      const opened = await openPack(manifest, provider);
      const r = opened.signatures.unet.residuals!;
      // The pack holds no plain UNet session (the render's one UNet is the reference UNet).
      const unet = await provider.open({
        kind: 'file',
        path: manifest.components.unet!.path,
        label: 'unet',
      });
      const out = await unet.run(feeds([...r.down, r.mid]));
      outputs.push(out['out_sample']!.data as Float32Array);
      await provider.release(unet);
      await opened.dispose();
    }
    let max = 0;
    outputs[0]!.forEach((v, i) => (max = Math.max(max, Math.abs(v - outputs[1]![i]!))));
    expect(max).toBeLessThan(1e-5);
    expect(provider.openCount).toBe(0);
  });

  it('the DirectML pack is found unrunnable on CPU as it is, and passes the check because it is rewritten', async () => {
    const manifest = await loadPackManifest({
      packDir: base,
      controlNetPath: fusedDml,
      unetPath: fusedDml,
    });
    const unet = manifest.components.unet!;
    const problems = providerProblems(unet, ['cpu']);
    expect(problems[0]).toMatch(/GroupNorm.*which CPU cannot run: choose CUDA or DirectML/);
    expect(rewriteForProvider(unet, ['cpu'], problems)?.description).toMatch(
      /rewritten for cpu: GroupNorm → standard ops/,
    );
    expect(() => checkPackRuns(manifest, ['cpu'])).not.toThrow();
  });

  it('pose-studio pack inspect: text, --json, exit 0 when it renders and 1 with problems', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false, cwd: REAL };
    expect(
      await command.run(
        [
          'inspect',
          'diffusers-onnx',
          '--controlnet',
          'controlnet-openpose-onnx',
          '--unet',
          'controlnet-openpose-onnx',
        ],
        io,
      ),
    ).toBe(0);
    expect(lines.join('\n')).toMatch(/UNet, ControlNet-aware \(13 residual inputs\)/);
    expect(lines.join('\n')).toMatch(/ready: renders on CPU/);
    lines.length = 0;
    expect(await command.run(['inspect', 'olive-fused-dml', '--json'], io)).toBe(1);
    const json = JSON.parse(lines.join('\n')) as { models: { fused: Record<string, number> }[] };
    expect(json.models.map((m) => m.fused['GroupNorm'])).toEqual([27, 61]);
  });
});
