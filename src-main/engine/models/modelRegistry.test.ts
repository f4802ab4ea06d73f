import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinManifest, ModelError, ModelRegistry, sha256 } from './modelRegistry';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'models-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('model registry', () => {
  it('builds a missing built-in model into the cache and verifies it', async () => {
    const { bytes, path, manifest } = await new ModelRegistry(dir).load('puppet-warp');
    expect(sha256(bytes)).toBe(manifest.files[0]!.sha256);
    expect(sha256(new Uint8Array(await readFile(path)))).toBe(manifest.files[0]!.sha256);
  });

  it('rebuilds a corrupt cached model', async () => {
    const registry = new ModelRegistry(dir);
    const { path, manifest } = await registry.load('puppet-warp');
    await writeFile(path, 'garbage');
    const again = await registry.load('puppet-warp');
    expect(sha256(again.bytes)).toBe(manifest.files[0]!.sha256);
    expect(sha256(new Uint8Array(await readFile(path)))).toBe(manifest.files[0]!.sha256);
  });

  it('refuses unknown models and sessions that do not match the manifest', async () => {
    await expect(new ModelRegistry(dir).load('nope')).rejects.toThrow(/unknown model "nope"/);
    const manifest = builtinManifest('puppet-warp');
    expect(() => ModelRegistry.checkSignature(manifest, ['picture'], ['frame_crop'])).toThrow(
      ModelError,
    );
    expect(() =>
      ModelRegistry.checkSignature(manifest, [...manifest.inputs, 'extra'], manifest.outputs),
    ).toThrow(/unexpected inputs extra/);
    expect(() =>
      ModelRegistry.checkSignature(manifest, manifest.inputs, manifest.outputs),
    ).not.toThrow();
  });
});
