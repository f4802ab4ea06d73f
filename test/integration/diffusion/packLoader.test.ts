import { copyFileSync, cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { loadTokenizer, openPack } from '#main/engine/diffusion/pack/openPack';
import { PackError } from '#main/engine/diffusion/pack/packError';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';

let root: string;
let pack: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pack-loader-'));
  pack = await buildTinyPack(join(root, 'pack'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the good pack to break. */
function copyPack(name: string): string {
  const dir = join(root, name);
  cpSync(pack, dir, { recursive: true });
  return dir;
}

async function packError(dir: string, open = false): Promise<PackError> {
  try {
    const manifest = await loadPackManifest(dir);
    if (open) await (await openPack(manifest, new LocalSessionProvider())).dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(PackError);
    return error as PackError;
  }
  throw new Error('expected the pack to be refused');
}

describe('pack loader on the tiny diffusers-layout pack', () => {
  it('reads the manifest: components, external weights, scheduler, tokenizer', async () => {
    const manifest = await loadPackManifest(pack);
    expect(Object.keys(manifest.components).sort()).toEqual([
      'controlnet',
      'text_encoder',
      'unet',
      'vae_decoder',
      'vae_encoder',
    ]);
    expect(manifest.components.unet?.externalData.map((e) => e.location)).toEqual([
      'model.onnx_data',
    ]);
    expect(manifest.components.text_encoder?.externalData).toEqual([]);
    expect(manifest.scheduler.steps_offset).toBe(1);
    expect(manifest.modelIndex?._class_name).toBe('OnnxStableDiffusionPipeline');
  });

  it('opens every session and reads the signatures; dispose releases them', async () => {
    const provider = new LocalSessionProvider();
    const opened = await openPack(await loadPackManifest(pack), provider);
    // text encoder, VAE encoder and decoder, ControlNet: the UNet's session is closed once its
    // signature is read (the reference UNet holds the only UNet session of a render).
    expect(provider.openCount).toBe(4);
    expect(opened.signatures.unet).toMatchObject({
      floatType: 'float32',
      timestepType: 'float32',
      textDim: 16,
    });
    expect(opened.signatures.unet.residuals?.down).toEqual(
      [0, 1, 2, 3].map((i) => `down_block_additional_residual_${i}`),
    );
    expect(opened.signatures.controlnet?.residuals.mid).toBe('mid_block_res_sample');
    expect(opened.signatures.controlnet?.conditioningScale).toEqual({ rank: 0 });
    expect(opened.signatures.vaeEncoder).toEqual({
      inputName: 'sample',
      output: 'latent_sample',
      parameters: false,
      inputType: 'float32',
    });
    expect(opened.signatures.textEncoder).toEqual({
      idsType: 'int32',
      textDim: 16,
      idsName: 'input_ids',
      hiddenName: 'last_hidden_state',
    });

    const { ids } = opened.tokenizer.encodeForTextEncoder('a photo of a cat');
    const out = await opened.sessions.textEncoder.run({
      input_ids: new ort.Tensor('int32', ids, [1, 77]),
    });
    expect(out['last_hidden_state']!.dims).toEqual([1, 77, 16]);
    // pooler_output is the hidden state at the end-of-text token (position 6 here)
    const hidden = out['last_hidden_state']!.data as Float32Array;
    const pooled = out['pooler_output']!.data as Float32Array;
    expect(Array.from(pooled)).toEqual(
      Array.from(hidden.slice(6 * 16, 7 * 16)).map((v) => expect.closeTo(v, 5)),
    );
    await opened.dispose();
    expect(provider.openCount).toBe(0);
  });

  it('loads the older weights.pb layout', async () => {
    const dir = await buildTinyPack(join(root, 'weights-pb'), { unetWeightsFile: 'weights.pb' });
    const manifest = await loadPackManifest(dir);
    expect(manifest.components.unet?.externalData.map((e) => e.location)).toEqual(['weights.pb']);
    await (await openPack(manifest, new LocalSessionProvider())).dispose();
  });
});

describe('CLIP tokenization with the real vocabulary and merges', () => {
  it('gives the known CLIP ids', async () => {
    const tok = await loadTokenizer(await loadPackManifest(pack));
    expect(tok.ids('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tok.ids('an astronaut riding a horse on mars')).toEqual([
      49406, 550, 18376, 6765, 320, 4558, 525, 7496, 49407,
    ]);
    expect(tok.ids('Hello   WORLD')).toEqual([49406, 3306, 1002, 49407]);
    expect(tok.tokens("don't")).toEqual(['don</w>', "'t</w>"]);
  });

  it('pads with <|endoftext|> to 77 and truncates long prompts keeping the end token', async () => {
    const tok = await loadTokenizer(await loadPackManifest(pack));
    const { ids, truncated } = tok.encodeForTextEncoder('a photo of a cat');
    expect(ids.length).toBe(77);
    expect(truncated).toBe(false);
    expect(Array.from(ids.slice(0, 8))).toEqual([49406, 320, 1125, 539, 320, 2368, 49407, 49407]);
    expect(ids[76]).toBe(49407);
    const long = tok.encodeForTextEncoder('cat '.repeat(100));
    expect(long.truncated).toBe(true);
    expect(long.ids[0]).toBe(49406);
    expect(long.ids[75]).toBe(2368);
    expect(long.ids[76]).toBe(49407);
  });
});

describe('clear refusals', () => {
  it('names a missing pack folder', async () => {
    expect((await packError(join(root, 'nowhere'))).message).toMatch(/does not exist/);
  });

  it('names a missing component folder', async () => {
    const dir = copyPack('no-controlnet');
    rmSync(join(dir, 'controlnet'), { recursive: true });
    const e = await packError(dir);
    expect(e.where).toBe('controlnet');
    expect(e.message).toMatch(/no ControlNet: add an OpenPose ControlNet.*--controlnet/);
    const dir2 = copyPack('no-vae');
    rmSync(join(dir2, 'vae_decoder'), { recursive: true });
    expect((await packError(dir2)).message).toMatch(
      /no VAE decoder in the pack .*add vae_decoder\/model.onnx/,
    );
  });

  it('names missing and truncated external weights', async () => {
    const dir = copyPack('no-weights');
    rmSync(join(dir, 'unet', 'model.onnx_data'));
    const e = await packError(dir);
    expect(e.message).toMatch(
      /unet\/model.onnx keeps its weights in "model.onnx_data", which is missing/,
    );
    expect(e.where).toBe('unet/model.onnx_data');
    const dir2 = copyPack('short-weights');
    truncateSync(join(dir2, 'unet', 'model.onnx_data'), 1000);
    expect((await packError(dir2)).message).toMatch(/truncated: 1000 bytes/);
  });

  it('recognises a model by its structure, not its folder: a VAE decoder in text_encoder/', async () => {
    const dir = copyPack('wrong-names');
    copyFileSync(join(dir, 'vae_decoder', 'model.onnx'), join(dir, 'text_encoder', 'model.onnx'));
    const e = await packError(dir, true);
    expect(e.message).toMatch(
      /the pack has 2 VAE decoders \(text_encoder\/model.onnx, vae_decoder\/model.onnx\): keep one/,
    );
  });

  it('refuses a ControlNet next to a UNet exported without residual inputs', async () => {
    const dir = await buildTinyPack(join(root, 'plain-unet'), {
      unet: { controlnetResiduals: false },
    });
    expect((await packError(dir, true)).message).toMatch(/takes no ControlNet residuals/);
  });

  it('names a broken scheduler config and missing tokenizer files', async () => {
    const dir = copyPack('bad-scheduler');
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), '{"beta_schedule": "cosine"}');
    expect((await packError(dir)).message).toMatch(
      /scheduler\/scheduler_config.json.*beta_schedule/,
    );
    const dir2 = copyPack('no-merges');
    rmSync(join(dir2, 'tokenizer', 'merges.txt'));
    expect((await packError(dir2)).message).toMatch(/tokenizer\/merges.txt is missing/);
  });
});
