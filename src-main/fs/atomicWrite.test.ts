import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  atomicWrite,
  atomicWriteSync,
  isTempFileOf,
  removeStaleTempFiles,
  tempPathFor,
} from './atomicWrite';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomic write helpers', () => {
  it('names temp files so they are recognised, hidden and unique', () => {
    const file = join(dir, 'manifest.json');
    const a = tempPathFor(file);
    const b = tempPathFor(file);
    expect(a).not.toBe(b);
    expect(basename(a)).toMatch(/^\.manifest\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(isTempFileOf(basename(a), file)).toBe(true);
    expect(isTempFileOf(basename(a), join(dir, 'project.json'))).toBe(false);
    expect(isTempFileOf('.manifest.json.bak', file)).toBe(false);
  });

  it('writes a file whose name is 255 bytes (the temp name is cut, not grown)', async () => {
    for (const name of ['n'.repeat(250) + '.json', 'é'.repeat(125) + '.json']) {
      const file = join(dir, name);
      expect(Buffer.byteLength(basename(tempPathFor(file)))).toBeLessThanOrEqual(255);
      expect(isTempFileOf(basename(tempPathFor(file)), file)).toBe(true);
      await atomicWrite(file, 'long');
      atomicWriteSync(file, 'longer');
      expect(await readFile(file, 'utf8')).toBe('longer');
    }
    expect((await readdir(dir)).every((n) => !n.endsWith('.tmp'))).toBe(true);
  });

  it('writes synchronously and replaces the old content', async () => {
    const file = join(dir, 'm.json');
    atomicWriteSync(file, 'first');
    atomicWriteSync(file, Buffer.from('second'));
    expect(await readFile(file, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['m.json']);
  });

  it('removes only stale temp files of the given target', async () => {
    const file = join(dir, 'm.json');
    const stale = tempPathFor(file);
    const fresh = tempPathFor(file);
    const other = tempPathFor(join(dir, 'other.json'));
    for (const f of [stale, fresh, other]) await writeFile(f, 'x');
    const old = new Date(Date.now() - 120_000);
    await utimes(stale, old, old);
    await utimes(other, old, old);
    expect(await removeStaleTempFiles(file)).toEqual([basename(stale)]);
    expect((await readdir(dir)).sort()).toEqual([basename(fresh), basename(other)].sort());
  });
});
