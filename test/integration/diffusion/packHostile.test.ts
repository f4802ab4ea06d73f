/**
 * Hostile packs: whatever is in the folder, the loader answers with one PackError naming the
 * file and the fix — never a crash, a hang or a read outside the pack. Built from copies of the
 * real-structure diffusers export (../shared/fixtures/sd15-tiny-real/diffusers-onnx).
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxProto } from '#native-models/onnxProto';
import { inspectPack } from '#main/engine/diffusion/pack/inspectPack';
import { PackError } from '#main/engine/diffusion/pack/packError';
import { loadPackManifest, type PackSources } from '#main/engine/diffusion/pack/packManifest';

const ROOT = resolve(__dirname, '../../..');
const REAL = resolve(ROOT, '../shared/fixtures/sd15-tiny-real');
const amuse = join(REAL, 'controlnet-openpose-onnx');

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pack-hostile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A writable copy of the base pack plus the Amuse ControlNet (a complete pose pack). */
function pack(): string {
  const dir = join(root, `p${n++}`);
  cpSync(join(REAL, 'diffusers-onnx'), dir, { recursive: true });
  rmSync(join(dir, 'unet'), { recursive: true });
  cpSync(join(amuse, 'unet'), join(dir, 'unet'), { recursive: true });
  cpSync(join(amuse, 'controlnet'), join(dir, 'controlnet'), { recursive: true });
  return dir;
}

async function refusal(sources: string | PackSources): Promise<PackError> {
  try {
    await loadPackManifest(sources);
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    expect((e as Error).message).not.toContain('\n');
    return e as PackError;
  }
  throw new Error('expected the pack to be refused');
}

const LFS = `version https://git-lfs.github.com/spec/v1
oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
size 4293632
`;

/** Rewrites the UNet graph's external-data entries (offset/length/location) in place. */
function editExternal(dir: string, entry: Record<string, string>): void {
  const path = join(dir, 'unet', 'model.onnx');
  const model = onnxProto.ModelProto.decode(readFileSync(path));
  const t = model.graph!.initializer!.find(
    (i) => i.dataLocation === onnxProto.TensorProto.DataLocation.EXTERNAL,
  )!;
  for (const e of t.externalData!) if (e.key! in entry) e.value = entry[e.key!]!;
  writeFileSync(path, onnxProto.ModelProto.encode(model).finish());
}

describe('hostile packs are refused with the file and the fix', () => {
  it('the test pack itself loads (so each refusal below is the damage done)', async () => {
    const m = await loadPackManifest(pack());
    expect(Object.keys(m.components).sort()).toEqual([
      'controlnet',
      'text_encoder',
      'unet',
      'vae_decoder',
      'vae_encoder',
    ]);
  });

  it('an empty folder', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    expect((await refusal(dir)).message).toMatch(/no text encoder in the pack \(found no models\)/);
  });

  it('a truncated model.onnx (download stopped, or killed midway)', async () => {
    const dir = pack();
    truncateSync(join(dir, 'unet', 'model.onnx'), 900_000);
    const e = await refusal(dir);
    expect(e.where).toBe('unet/model.onnx');
    expect(e.message).toMatch(
      /unet\/model.onnx is not a complete ONNX model \(truncated.*download this file again/,
    );
  });

  it('random bytes and an empty file instead of a model', async () => {
    const dir = pack();
    writeFileSync(join(dir, 'vae_decoder', 'model.onnx'), Buffer.alloc(5000, 0xff));
    expect((await refusal(dir)).message).toMatch(
      /vae_decoder\/model.onnx is not a complete ONNX model/,
    );
    writeFileSync(join(dir, 'vae_decoder', 'model.onnx'), '');
    expect((await refusal(dir)).message).toMatch(/vae_decoder\/model.onnx is empty/);
  });

  it('a Git LFS pointer instead of the model, or instead of its weights', async () => {
    const dir = pack();
    writeFileSync(join(dir, 'text_encoder', 'model.onnx'), LFS);
    expect((await refusal(dir)).message).toMatch(
      /text_encoder\/model.onnx is a Git LFS pointer, not the model: run "git lfs pull"/,
    );
    const dir2 = pack();
    writeFileSync(join(dir2, 'unet', 'weights.pb'), LFS);
    const e = await refusal(dir2);
    expect(e.message).toMatch(
      /unet\/weights.pb is a Git LFS pointer, not the weights: run "git lfs pull"/,
    );
    const report = await inspectPack({ packDir: dir2 });
    expect(report.lfsPointers).toEqual(['unet/weights.pb']);
  });

  it('model_index.json with wrong types, as a list, or huge', async () => {
    const dir = pack();
    writeFileSync(join(dir, 'model_index.json'), '{"_class_name": 5}');
    expect((await refusal(dir)).message).toMatch(
      /model_index.json: not a diffusers index.*_class_name/,
    );
    writeFileSync(join(dir, 'model_index.json'), '[1, 2]');
    expect((await refusal(dir)).message).toMatch(/model_index.json: not a diffusers index/);
    writeFileSync(
      join(dir, 'model_index.json'),
      '{"_class_name": "x", "pad": "' + 'a'.repeat(2_000_000) + '"}',
    );
    expect((await refusal(dir)).message).toMatch(/model_index.json is 2000\d+ bytes/);
    writeFileSync(join(dir, 'model_index.json'), '{"_class_name": ');
    expect((await refusal(dir)).message).toMatch(/model_index.json: .*JSON/);
  });

  it('external weights missing or truncated', async () => {
    const dir = pack();
    rmSync(join(dir, 'unet', 'weights.pb'));
    const e = await refusal(dir);
    expect(e.message).toMatch(
      /unet\/model.onnx keeps its weights in "weights.pb", which is missing from unet\//,
    );
    expect(e.where).toBe('unet/weights.pb');
    const dir2 = pack();
    truncateSync(join(dir2, 'unet', 'weights.pb'), 1000);
    expect((await refusal(dir2)).message).toMatch(
      /unet\/weights.pb is truncated: 1000 bytes, the model needs \d+/,
    );
  });

  it('external weights that are a link out of the model folder', async () => {
    const dir = pack();
    const outside = join(root, 'outside.bin');
    writeFileSync(outside, Buffer.alloc(5_000_000));
    rmSync(join(dir, 'unet', 'weights.pb'));
    symlinkSync(outside, join(dir, 'unet', 'weights.pb'));
    expect((await refusal(dir)).message).toMatch(
      /unet\/weights.pb is a link to .*outside.bin, outside the model's folder/,
    );
  });

  it('external data entries pointing up, absolute, or with 1e308 / NaN offsets', async () => {
    for (const [entry, shown] of [
      [{ location: '../../etc/passwd' }, /location "..\/..\/etc\/passwd"/],
      [{ location: '/etc/passwd' }, /location "\/etc\/passwd"/],
      [{ offset: '1e308' }, /offset 1e\+308/],
      [{ length: 'NaN' }, /length NaN/],
      [{ offset: '-5' }, /offset -5/],
    ] as const) {
      const dir = pack();
      editExternal(dir, entry);
      expect((await refusal(dir)).message).toMatch(shown);
    }
  });

  it('two UNets, two ControlNets: which to use cannot be guessed', async () => {
    const dir = pack();
    cpSync(join(dir, 'unet'), join(dir, 'unet_copy'), { recursive: true });
    expect((await refusal(dir)).message).toMatch(
      /two UNets of the same kind \(unet\/model.onnx, unet_copy\/model.onnx\).*--unet/,
    );
    // … and naming one as the replacement resolves it.
    const m = await loadPackManifest({ packDir: dir, unetPath: join(amuse, 'unet') });
    expect(m.components.unet?.origin).toBe('unetPath');
    const dir2 = pack();
    cpSync(join(dir2, 'controlnet'), join(dir2, 'controlnet_b'), { recursive: true });
    expect((await refusal(dir2)).message).toMatch(/the pack has 2 ControlNets/);
    const dir3 = pack();
    cpSync(join(dir3, 'unet', 'model.onnx'), join(dir3, 'unet', 'other.onnx'));
    rmSync(join(dir3, 'unet', 'model.onnx'));
    cpSync(join(dir3, 'unet', 'other.onnx'), join(dir3, 'unet', 'third.onnx'));
    expect((await refusal(dir3)).message).toMatch(
      /unet\/ holds 2 models \(other.onnx, third.onnx\) and no model.onnx/,
    );
  });

  it('a separate folder that holds the wrong model or none', async () => {
    const dir = pack();
    expect((await refusal({ packDir: dir, controlNetPath: join(amuse, 'unet') })).message).toMatch(
      /is a UNet, not a ControlNet/,
    );
    expect((await refusal({ packDir: dir, unetPath: join(root, 'nowhere') })).message).toMatch(
      /replacement UNet folder .*nowhere does not exist/,
    );
    const empty = join(root, 'empty-unet');
    mkdirSync(empty);
    expect((await refusal({ packDir: dir, unetPath: empty })).message).toMatch(
      /holds no .onnx model/,
    );
  });
});
