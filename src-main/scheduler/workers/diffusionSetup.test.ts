import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { PROJECT_VERSION, ProjectSchema, type Project } from '#shared/project/index';
import { prepareDiffusionSetup, resolvePackDir } from './diffusionSetup';

const root = mkdtempSync(join(tmpdir(), 'ps-diffusion-workers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(patch: Record<string, unknown>): Project {
  return ProjectSchema.parse({
    version: PROJECT_VERSION,
    generator: { id: 'diffusion', params: { pack: 'p' } },
    output: { width: 64, height: 64, fps: 24, range: { from: 0, to: 20 } },
    ...patch,
  });
}

describe('resolvePackDir', () => {
  const projectDir = join(root, 'project');
  const folderA = join(root, 'packsA');
  const folderB = join(root, 'packsB');
  mkdirSync(join(projectDir, 'local'), { recursive: true });
  mkdirSync(join(folderA, 'named'), { recursive: true });
  mkdirSync(join(folderB, 'named'), { recursive: true });
  mkdirSync(join(folderB, 'local'), { recursive: true });

  it('takes an absolute path as is', async () => {
    expect(await resolvePackDir(projectDir, join(root, 'x'), [folderA])).toBe(join(root, 'x'));
  });
  it('prefers a folder of the project, then the first pack folder that has it', async () => {
    expect(await resolvePackDir(projectDir, 'local', [folderB])).toBe(join(projectDir, 'local'));
    expect(await resolvePackDir(projectDir, 'named', [folderA, folderB])).toBe(
      join(folderA, 'named'),
    );
  });
  it('falls back to the project-relative path (the loader then names it)', async () => {
    expect(await resolvePackDir(projectDir, 'nowhere', [folderA])).toBe(
      join(projectDir, 'nowhere'),
    );
  });
});

describe('prepareDiffusionSetup', () => {
  it('is nothing to do for the puppet generator', async () => {
    const p = project({ generator: { id: 'puppet' } });
    expect(await prepareDiffusionSetup(root, p, { from: 0, to: 20 })).toBeUndefined();
  });
  it('refuses an output size that is not a multiple of 64 (72×72 crashed inside the UNet)', async () => {
    const p = project({ output: { width: 72, height: 72, range: { from: 0, to: 20 } } });
    await expect(prepareDiffusionSetup(root, p, { from: 0, to: 20 })).rejects.toThrow(
      /output: 72×72: Stable Diffusion needs .*multiples of 64 — use 64×64/,
    );
  });
  it('lets a fused plan of several windows through to the pack check (fusion groups)', async () => {
    const p = project({ render: { strategy: 'fused', segmentLength: 8, segmentOverlap: 2 } });
    await expect(prepareDiffusionSetup(root, p, { from: 0, to: 20 })).rejects.toThrow(
      /generator\.params\.pack.*model pack "p".*does not exist/,
    );
  });
  it('lets a fused range of one window through to the pack check', async () => {
    const p = project({ render: { strategy: 'fused', segmentLength: 24, segmentOverlap: 2 } });
    await expect(prepareDiffusionSetup(root, p, { from: 0, to: 20 })).rejects.toThrow(
      /generator\.params\.pack.*model pack "p".*does not exist/,
    );
  });
  it('names the pack file that is wrong', async () => {
    mkdirSync(join(root, 'empty-pack'));
    const p = project({ generator: { id: 'diffusion', params: { pack: 'empty-pack' } } });
    await expect(prepareDiffusionSetup(root, p, { from: 0, to: 20 })).rejects.toThrow(
      /generator\.params\.pack.*no text encoder in the pack \(found no models\)/,
    );
  });
  it('puts a problem of the separate ControlNet folder on controlNetPath', async () => {
    mkdirSync(join(root, 'empty-controlnet'));
    const p = project({
      generator: {
        id: 'diffusion',
        params: { pack: 'empty-pack', controlNetPath: 'empty-controlnet' },
      },
    });
    await expect(prepareDiffusionSetup(root, p, { from: 0, to: 20 })).rejects.toThrow(
      /generator\.params\.controlNetPath: model pack "empty-controlnet": ControlNet folder .* holds no \.onnx model/,
    );
  });
});

describe('prepareDiffusionSetup: the reference-bank cache stays in the project', () => {
  it('refuses a cache/ folder linked outside before the engine could write a bank there', async () => {
    const dir = join(root, 'linked-cache');
    const outside = join(root, 'user-folder');
    mkdirSync(dir, { recursive: true });
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(dir, 'cache'));
    const packDir = await buildTinyPack(join(root, 'tiny-pack'));
    const p = project({ generator: { id: 'diffusion', params: { pack: packDir } } });
    await expect(prepareDiffusionSetup(dir, p, { from: 0, to: 20 })).rejects.toThrow(
      /cache is a link to a folder outside the project/,
    );
    rmSync(join(dir, 'cache'));
    const setup = await prepareDiffusionSetup(dir, p, { from: 0, to: 20 });
    expect(setup?.bankCacheDir).toBe(join(realpathSync(dir), 'cache', 'diffusion-banks'));
  });
});

describe('prepareDiffusionSetup: memory, estimated before the render', () => {
  it('estimates the largest call of the plan (segment + fused anchor, × 2 with guidance)', async () => {
    const packDir = await buildTinyPack(join(root, 'memory-pack'));
    const p = project({
      generator: { id: 'diffusion', params: { pack: packDir, guidance: 7.5 } },
      render: { strategy: 'fused', segmentLength: 8, segmentOverlap: 2 },
    });
    const auto = await prepareDiffusionSetup(root, p, { from: 0, to: 20 });
    expect(auto!.memory.largestCall).toBe(18);
    expect(auto!.memoryBudgetBytes).toBeGreaterThan(0);
    const off = await prepareDiffusionSetup(root, p, { from: 0, to: 20 }, [], 'off');
    expect(off!.memoryBudgetBytes).toBeNull();
    expect(off!.memory.plan.itemsPerCall).toBe(Infinity);
    // Shorter than a segment: the window is the range.
    const short = await prepareDiffusionSetup(root, p, { from: 0, to: 3 }, [], 'off');
    expect(short!.memory.largestCall).toBe(8);
  });

  it('refuses with the fix when not even one item fits the budget, before any engine starts', async () => {
    const packDir = await buildTinyPack(join(root, 'memory-pack-2'));
    const p = project({ generator: { id: 'diffusion', params: { pack: packDir } } });
    // 0.5 GB is the setting's minimum; the runtime alone is estimated at 0.3 GB, and at 4096² the
    // first level has 262,144 tokens: one item's attention scores alone are hundreds of GB.
    const big = project({
      generator: { id: 'diffusion', params: { pack: packDir } },
      output: { width: 4096, height: 4096, fps: 24, range: { from: 0, to: 20 } },
    });
    await expect(prepareDiffusionSetup(root, big, { from: 0, to: 20 }, [], 0.5)).rejects.toThrow(
      /^output: the memory budget of 0\.50 GB cannot hold even one UNet item at 4096×4096.*Raise the memory budget to at least/,
    );
    expect(
      (await prepareDiffusionSetup(root, p, { from: 0, to: 20 }, [], 0.5))!.memory.plan
        .itemsPerCall,
    ).toBeGreaterThan(0);
  });
});
