import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROJECT_DIR, copySample, suggestSampleFolder } from './sampleCopy';

const root = mkdtempSync(join(tmpdir(), 'ps-sample-copy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return dir;
};
const sampleJson = readFileSync(join(SAMPLE_PROJECT_DIR, 'project.json'), 'utf8');

describe('copying the shipped sample (Open sample)', () => {
  it('copies the whole sample into a new folder, creating its parents', async () => {
    const target = join(fresh(), 'deep', 'Sprout');
    expect(await copySample(target)).toBe(target);
    expect(readFileSync(join(target, 'project.json'), 'utf8')).toBe(sampleJson);
    expect(existsSync(join(target, 'assets', 'sprout.png'))).toBe(true);
    // No hidden partial copy is left beside it.
    expect(readdirSync(join(target, '..'))).toEqual(['Sprout']);
  });

  it('accepts an empty folder the user made for it', async () => {
    const target = join(fresh(), 'empty');
    mkdirSync(target);
    await copySample(target);
    expect(readFileSync(join(target, 'project.json'), 'utf8')).toBe(sampleJson);
  });

  it('refuses a folder with anything in it, and leaves it exactly as it was', async () => {
    const target = join(fresh(), 'mine');
    mkdirSync(target);
    writeFileSync(join(target, 'project.json'), '{"mine":true}');
    await expect(copySample(target)).rejects.toThrow(/already exists and is not empty/);
    expect(readFileSync(join(target, 'project.json'), 'utf8')).toBe('{"mine":true}');
    expect(readdirSync(target)).toEqual(['project.json']);
  });

  it('refuses a file, and a link (even one to an empty folder)', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    await expect(copySample(join(dir, 'notes.txt'))).rejects.toThrow(/not a folder/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'link'));
    await expect(copySample(join(dir, 'link'))).rejects.toThrow(/is a link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses a path through a file, and system folders', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    await expect(copySample(join(dir, 'file', 'sample'))).rejects.toThrow(/file, not a folder/);
    await expect(copySample('/proc/self/sprout')).rejects.toThrow(/system folder/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder the user cannot write in', async () => {
    const dir = fresh();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      await expect(copySample(join(locked, 'sprout'))).rejects.toThrow(/cannot write/);
      expect(readdirSync(locked)).toEqual([]);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('a copy that fails midway leaves neither the target nor a partial copy', async () => {
    const dir = fresh();
    const broken = join(dir, 'broken-sample');
    mkdirSync(broken);
    writeFileSync(join(broken, 'project.json'), '{}');
    mkdirSync(join(broken, 'assets'));
    writeFileSync(join(broken, 'assets', 'a.png'), 'png');
    // A named pipe in the source makes the copy fail after it has started.
    execFileSync('mkfifo', [join(broken, 'zz-pipe')]);
    mkdirSync(join(dir, 'out'));
    await expect(copySample(join(dir, 'out', 'copy'), broken)).rejects.toThrow();
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('suggests a new folder under Documents (or home), never one that exists', async () => {
    const home = fresh();
    expect(await suggestSampleFolder(home)).toBe(join(home, 'Pose Studio', 'Sprout sample'));
    mkdirSync(join(home, 'Documents'));
    const first = await suggestSampleFolder(home);
    expect(first).toBe(join(home, 'Documents', 'Pose Studio', 'Sprout sample'));
    await copySample(first);
    expect(await suggestSampleFolder(home)).toBe(
      join(home, 'Documents', 'Pose Studio', 'Sprout sample 2'),
    );
    // A dangling link takes the name too: it is not reused.
    symlinkSync(join(home, 'nowhere'), join(home, 'Documents', 'Pose Studio', 'Sprout sample 2'));
    expect(await suggestSampleFolder(home)).toBe(
      join(home, 'Documents', 'Pose Studio', 'Sprout sample 3'),
    );
  });
});
