/**
 * Some published ControlNet exports have no `conditioning_scale` input. The ControlNet scale
 * setting used to be silently ignored for them; the app now multiplies the residuals itself, as
 * diffusers does inside the model. Same weights with and without the input must then give the
 * same prediction at any scale.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { renderConditioning } from '#shared/pose/conditioning';
import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { createPerson } from '#shared/pose/types';
import { Denoiser } from '#main/engine/diffusion/pipeline/denoiser';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { encodePrompt } from '#main/engine/diffusion/pipeline/textConditioning';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { tinyPackPose } from '#test/helpers/tinyPackPose';

let root: string;
let withInput: DiffusionGenerator;
let withoutInput: DiffusionGenerator;

/** The ControlNet with its conditioning_scale input turned into a constant 1 (as such exports are). */
function dropScaleInput(pack: string): void {
  const path = join(pack, 'controlnet', 'model.onnx');
  const model = onnxProto.ModelProto.decode(readFileSync(path));
  const graph = model.graph!;
  graph.input = graph.input!.filter((i) => i.name !== 'conditioning_scale');
  graph.initializer!.push(
    onnxProto.TensorProto.create({
      name: 'conditioning_scale',
      dataType: onnxProto.TensorProto.DataType.FLOAT,
      dims: [],
      floatData: [1],
    }),
  );
  writeFileSync(path, onnxProto.ModelProto.encode(model).finish());
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cn-scale-'));
  const a = await buildTinyPack(join(root, 'a'));
  const b = await buildTinyPack(join(root, 'b'));
  dropScaleInput(b);
  const provider = new LocalSessionProvider();
  withInput = await DiffusionGenerator.open(a, provider, { bankCacheDir: null });
  withoutInput = await DiffusionGenerator.open(b, provider, { bankCacheDir: null });
});
afterAll(async () => {
  await withInput?.dispose();
  await withoutInput?.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function predict(generator: DiffusionGenerator, scale: number): Promise<Float32Array> {
  const denoiser = new Denoiser(generator.pack, generator.unet, {
    guidanceScale: 1,
    conditioningScale: scale,
    latentHeight: 8,
    latentWidth: 8,
  });
  const text = await encodePrompt(generator.pack, 'a dancer', null);
  const person = createPerson();
  person.points.set(tinyPackPose(3));
  const condition = imageToPlanar(
    renderConditioning({ width: 64, height: 64, people: [person] }),
    0,
    1,
  );
  const [out] = await denoiser.predict(
    [frameNoise(7, 0, 256)],
    500,
    text,
    [condition],
    generator.unet.emptyBank(),
  );
  return out!;
}

const maxDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('ControlNet scale without a conditioning_scale input', () => {
  it('is recognised as missing', () => {
    expect(withInput.pack.signatures.controlnet?.conditioningScale).toEqual({ rank: 0 });
    expect(withoutInput.pack.signatures.controlnet?.conditioningScale).toBeNull();
  });

  it('is applied by the app: the same prediction as the model that takes the input', async () => {
    for (const scale of [0, 0.4, 1.7]) {
      const a = await predict(withInput, scale);
      const b = await predict(withoutInput, scale);
      expect(maxDiff(a, b), `scale ${scale}`).toBeLessThan(1e-5);
    }
    // … and it matters: scale 0 and 1.7 predict differently.
    expect(
      maxDiff(await predict(withoutInput, 0), await predict(withoutInput, 1.7)),
    ).toBeGreaterThan(1e-4);
  });
});
