import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { fileIdentity, packIdentity } from '#main/engine/diffusion/pack/packIdentity';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';
import { copySample } from '#test/integration/render/helpers';

const root = mkdtempSync(join(tmpdir(), 'ps-pack-identity-'));
let pack: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  pack = await buildTinyPack(join(root, 'pack'));
}, 60_000);

const idOf = async (dir: string) => packIdentity(await loadPackManifest(dir));
const fileId = async (path: string) => (await fileIdentity(path)).digest('hex');

describe('pack identity (render cache key)', () => {
  it('survives a copy to another folder (new path, new mtimes); new UNet weights change it', async () => {
    const original = await idOf(pack);
    const copy = join(root, 'copy');
    cpSync(pack, copy, { recursive: true }); // plain copy: new modification times
    expect(await idOf(copy)).toBe(original);

    const weights = join(copy, 'unet', 'model.onnx_data');
    const bytes = readFileSync(weights);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff; // same size, one weight changed (small file: hashed whole)
    writeFileSync(weights, bytes);
    expect(await idOf(copy)).not.toBe(original);

    const scheduler = join(copy, 'scheduler', 'scheduler_config.json');
    cpSync(join(pack, 'unet', 'model.onnx_data'), weights);
    expect(await idOf(copy)).toBe(original);
    writeFileSync(scheduler, readFileSync(scheduler, 'utf8').replace('}', ', "x": 1}'));
    expect(await idOf(copy)).not.toBe(original);
  });

  it('samples a large weight file instead of reading it whole, and still sees new weights', async () => {
    const big = join(root, 'big.bin');
    const data = Buffer.alloc(40 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data[i] = (i >> 12) & 0xff;
    writeFileSync(big, data);
    const before = await fileId(big);
    cpSync(big, join(root, 'big-copy.bin'));
    expect(await fileId(join(root, 'big-copy.bin'))).toBe(before);
    // A fine-tune touches (nearly) every weight: here every 4 KB page.
    for (let i = 0; i < data.length; i += 4096) data[i] = data[i]! ^ 1;
    writeFileSync(big, data);
    expect(await fileId(big)).not.toBe(before);
    // A different size is always different.
    writeFileSync(big, data.subarray(0, data.length - 1));
    expect(await fileId(big)).not.toBe(before);
  });

  it('the project render hash follows the pack content, not its path', async () => {
    const { root: sampleRoot, project } = copySample('ps-pack-identity-project-');
    try {
      const file = join(project, 'project.json');
      const set = (packPath: string) => {
        const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        p.generator = { id: 'diffusion', params: { pack: packPath, steps: 2, guidance: 1 } };
        p.output = { ...(p.output as object), width: 64, height: 64 };
        writeFileSync(file, JSON.stringify(p, null, 2));
      };
      const hash = async () =>
        (await prepareProjectRender(project, {}, { pictureSize })).settingsHash;
      const a = join(root, 'a');
      cpSync(pack, a, { recursive: true });
      set(a);
      const first = await hash();
      const moved = join(root, 'moved');
      renameSync(a, moved);
      set(moved);
      expect(await hash()).toBe(first);
      const weights = join(moved, 'unet', 'model.onnx_data');
      const bytes = readFileSync(weights);
      bytes[7] = bytes[7]! ^ 0x55;
      writeFileSync(weights, bytes);
      expect(await hash()).not.toBe(first);
    } finally {
      rmSync(sampleRoot, { recursive: true, force: true });
    }
  });
});
