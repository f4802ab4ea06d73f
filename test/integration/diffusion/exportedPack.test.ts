import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { Joint } from '#shared/pose/skeleton';
import { createPerson, setPoint, type PoseFrame } from '#shared/pose/types';
import { onnxProto } from '#native-models/onnxProto';
import { checkPackParity } from '#main/engine/diffusion/export/packParity';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { renderVideo } from '#main/engine/diffusion/strategies/renderVideo';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';

/**
 * The pack `pose-studio pack export` wrote from a tiny random diffusers SD1.5 checkpoint + an
 * OpenPose-shaped ControlNet (test/fixtures/packs/exported-tiny/README.md). CI has no torch, so
 * everything here runs on the committed output with the app's own runtime.
 */
const ROOT = resolve(__dirname, '../../..');
const PACK = join(ROOT, 'test/fixtures/packs/exported-tiny');
const RESIDUALS = [
  ...Array.from({ length: 12 }, (_, i) => `down_block_${i}_additional_residual`),
  'mid_block_additional_residual',
];
const tmp = mkdtempSync(join(tmpdir(), 'exported-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function graph(component: string) {
  const model = onnxProto.ModelProto.decode(readFileSync(join(PACK, component, 'model.onnx')));
  const opset = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')!;
  return {
    opset: Number(opset.version),
    inputs: model.graph!.input!.map((i) => i.name!),
    outputs: model.graph!.output!.map((o) => o.name!),
    ops: new Set(model.graph!.node!.map((n) => n.opType!)),
  };
}

function pose(lift: number): PoseFrame {
  const p = createPerson();
  const set = (j: number, x: number, y: number) => setPoint(p.points, j, x, y, 1);
  set(Joint.nose, 32, 10);
  set(Joint.neck, 32, 18);
  set(Joint.rShoulder, 24, 18);
  set(Joint.lShoulder, 40, 18);
  set(Joint.rElbow, 18, 26 - lift);
  set(Joint.lElbow, 46, 26 - lift);
  set(Joint.rHip, 28, 38);
  set(Joint.lHip, 36, 38);
  set(Joint.rKnee, 27, 48);
  set(Joint.lKnee, 37, 48);
  return { width: 64, height: 64, people: [p] };
}

function picture(): RgbImage {
  const data = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  return { width: 64, height: 64, data };
}

/** The machine these tests share may be loaded many times over: ORT session creation dominates. */
const SLOW = 300_000;

async function openGenerator(): Promise<DiffusionGenerator> {
  return DiffusionGenerator.open(PACK, new LocalSessionProvider(), { bankCacheDir: null });
}

async function renderFrames(generator: DiffusionGenerator): Promise<RgbImage[]> {
  try {
    const out = await renderVideo(generator, {
      reference: picture(),
      referencePose: pose(0),
      poses: [0, 4].map(pose),
      prompt: 'a photo of a dancer',
      seed: 11,
      steps: 2,
      guidanceScale: 2,
      window: 2,
    });
    expect(out.stats.referencePasses).toBe(1);
    return out.frames;
  } finally {
    await generator.dispose();
  }
}

describe('the exported tiny pack', () => {
  it('has the structure the exporter promises: opset 17, named residuals, conditioning_scale, a deterministic VAE encoder', () => {
    for (const c of ['text_encoder', 'unet', 'controlnet', 'vae_encoder', 'vae_decoder'])
      expect(graph(c).opset, c).toBe(17);
    const unet = graph('unet');
    expect(unet.inputs).toEqual(['sample', 'timestep', 'encoder_hidden_states', ...RESIDUALS]);
    expect(unet.outputs).toEqual(['out_sample']);
    const controlnet = graph('controlnet');
    expect(controlnet.inputs).toEqual([
      'sample',
      'timestep',
      'encoder_hidden_states',
      'controlnet_cond',
      'conditioning_scale',
    ]);
    expect(controlnet.outputs).toEqual(RESIDUALS);
    const encoder = graph('vae_encoder');
    expect(encoder.outputs).toEqual(['latent_sample']);
    expect(encoder.ops.has('RandomNormalLike')).toBe(false);
    expect(graph('text_encoder').inputs).toEqual(['input_ids']);
    const index = JSON.parse(readFileSync(join(PACK, 'model_index.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const c of ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'])
      expect(index[c]).toEqual(['diffusers', 'OnnxRuntimeModel']);
  });

  it(
    "passes its parity check against the PyTorch model with the app's runtime",
    async () => {
      const results = await checkPackParity(PACK);
      expect(results.map((r) => r.component)).toEqual(
        expect.arrayContaining([
          'text_encoder',
          'unet',
          'controlnet',
          'vae_encoder',
          'vae_decoder',
        ]),
      );
      expect(results.filter((r) => r.component === 'controlnet')).toHaveLength(13);
      for (const r of results) {
        expect(r.ok, `${r.component}/${r.output}`).toBe(true);
        expect(r.maxAbsDiff).toBeLessThan(1e-4);
      }
    },
    SLOW,
  );

  it(
    'loads with the app loader (ControlNet with conditioning_scale, 13 residuals) and renders the same frames on every run',
    async () => {
      const generator = await openGenerator();
      const sigs = generator.pack.signatures;
      expect(sigs.controlnet?.conditioningScale).toEqual({ rank: 0 });
      expect(sigs.controlnet?.residuals.down).toEqual(RESIDUALS.slice(0, 12));
      expect(sigs.unet.residuals?.mid).toBe('mid_block_additional_residual');
      expect(sigs.unet.timestepType).toBe('float32');

      const first = await renderFrames(generator);
      const second = await renderFrames(await openGenerator());
      expect(first).toHaveLength(2);
      expect(first[0]).toMatchObject({ width: 64, height: 64 });
      first.forEach((f, i) =>
        expect(Buffer.from(f.data).equals(Buffer.from(second[i]!.data))).toBe(true),
      );
      // the poses reach the picture through the ControlNet: different poses, different frames
      expect(Buffer.from(first[0]!.data).equals(Buffer.from(first[1]!.data))).toBe(false);
    },
    SLOW,
  );
});

describe('a tampered parity record', () => {
  /** A copy of the pack whose parity/ folder the test may break. */
  function copy(name: string): string {
    const dir = join(tmp, name);
    cpSync(PACK, dir, { recursive: true });
    return dir;
  }
  const record = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'parity/parity.json'), 'utf8')) as {
      cases: { component: string; outputs: { file: string; shape: number[] }[] }[];
    };

  it(
    'fails the output whose reference is off, and a NaN anywhere',
    async () => {
      const dir = copy('off');
      const dec = record(dir).cases.find((c) => c.component === 'vae_decoder')!.outputs[0]!;
      const file = join(dir, 'parity', dec.file);
      const values = new Float32Array(new Uint8Array(readFileSync(file)).buffer);
      values[5]! += 0.5;
      writeFileSync(file, Buffer.from(values.buffer));
      const enc = record(dir).cases.find((c) => c.component === 'vae_encoder')!.outputs[0]!;
      const encFile = join(dir, 'parity', enc.file);
      const encValues = new Float32Array(new Uint8Array(readFileSync(encFile)).buffer);
      encValues[0] = NaN;
      writeFileSync(encFile, Buffer.from(encValues.buffer));
      const results = await checkPackParity(dir, undefined, [
        'text_encoder',
        'vae_encoder',
        'vae_decoder',
      ]);
      const failed = results.filter((r) => !r.ok).map((r) => `${r.component}/${r.output}`);
      expect(failed).toEqual(['vae_encoder/latent_sample', 'vae_decoder/sample']);
      expect(results.filter((r) => r.ok).map((r) => r.component)).toEqual([
        'text_encoder',
        'text_encoder',
      ]);
    },
    SLOW,
  );

  it(
    'refuses truncated tensors, paths out of parity/, absurd shapes and a missing record',
    async () => {
      const dir = copy('hostile');
      const original = readFileSync(join(dir, 'parity/parity.json'), 'utf8');
      const unet = record(dir).cases.find((c) => c.component === 'unet')!.outputs[0]!;
      writeFileSync(join(dir, 'parity', unet.file), Buffer.alloc(7));
      await expect(checkPackParity(dir)).rejects.toThrow(/has 7 bytes/);
      writeFileSync(
        join(dir, 'parity/parity.json'),
        original.replace(unet.file, '../../unet/weights.pb'),
      );
      await expect(checkPackParity(dir)).rejects.toThrow(/parity\.json/);
      writeFileSync(
        join(dir, 'parity/parity.json'),
        original.replace('"tolerance": 0.001', '"tolerance": 1e308'),
      );
      await expect(checkPackParity(dir)).rejects.toThrow(/parity\.json/);
      const huge = JSON.parse(original) as { cases: { inputs: { shape: number[] }[] }[] };
      huge.cases[0]!.inputs[0]!.shape = [1e9, 1e9];
      writeFileSync(join(dir, 'parity/parity.json'), JSON.stringify(huge));
      await expect(checkPackParity(dir)).rejects.toThrow(/parity/);
      writeFileSync(join(dir, 'parity/parity.json'), '{"tolerance": 0.001, "cases": [');
      await expect(checkPackParity(dir)).rejects.toThrow(/not valid JSON/);
      rmSync(join(dir, 'parity/parity.json'));
      await expect(checkPackParity(dir)).rejects.toThrow(/missing: not a pack written by/);
    },
    SLOW,
  );
});
