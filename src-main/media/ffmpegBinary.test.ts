import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, resolveFfmpeg, resolveFfprobe } from './ffmpegBinary';

const dir = mkdtempSync(join(tmpdir(), 'ps-ffbin-'));
function exe(name: string): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
}
const a = exe('ffmpeg-a');
const b = exe('ffmpeg-b');
const pathDir = mkdtempSync(join(tmpdir(), 'ps-ffpath-'));
writeFileSync(join(pathDir, 'ffmpeg'), '');
chmodSync(join(pathDir, 'ffmpeg'), 0o755);
writeFileSync(join(pathDir, 'ffprobe'), '');
chmodSync(join(pathDir, 'ffprobe'), 0o755);
afterAll(() => [dir, pathDir].forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('resolveFfmpeg', () => {
  it('prefers settings, then FFMPEG_PATH, then the bundled binary, then PATH', () => {
    const env = { FFMPEG_PATH: b, PATH: pathDir };
    expect(resolveFfmpeg({ settingsPath: a, env, bundledPath: () => b })).toEqual({
      path: a,
      source: 'settings',
    });
    expect(resolveFfmpeg({ env, bundledPath: () => a })).toEqual({ path: b, source: 'env' });
    expect(resolveFfmpeg({ env: { PATH: pathDir }, bundledPath: () => a })).toEqual({
      path: a,
      source: 'bundled',
    });
    expect(resolveFfmpeg({ env: { PATH: pathDir }, bundledPath: () => null })).toEqual({
      path: join(pathDir, 'ffmpeg'),
      source: 'path',
    });
  });

  it('says clearly when ffmpeg is missing, and where it looked', () => {
    expect(() => resolveFfmpeg({ env: { PATH: '' }, bundledPath: () => null })).toThrow(
      FfmpegNotFoundError,
    );
    expect(() => resolveFfmpeg({ env: { PATH: '' }, bundledPath: () => null })).toThrow(
      /ffmpeg not found.*FFMPEG_PATH/,
    );
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: '/nope/ffmpeg' } })).toThrow(
      /FFMPEG_PATH is "\/nope\/ffmpeg"/,
    );
    expect(() => resolveFfmpeg({ settingsPath: dir, env: {} })).toThrow(/setting points to/);
  });

  it('finds the real bundled binary of @ffmpeg-installer', () => {
    const r = resolveFfmpeg({ env: { PATH: '' } });
    expect(r.source).toBe('bundled');
    expect(r.path).toMatch(/@ffmpeg-installer/);
  });
});

describe('resolveFfprobe', () => {
  const none = () => null;
  it('uses FFPROBE_PATH first, and the sibling of an ffmpeg the user chose', () => {
    const probe = exe('ffprobe');
    const bundled = () => b;
    expect(resolveFfprobe({ path: a, source: 'env' }, { FFPROBE_PATH: b }, bundled)).toBe(b);
    expect(resolveFfprobe({ path: a, source: 'env' }, {}, bundled)).toBe(probe);
    expect(resolveFfprobe({ path: a, source: 'settings' }, {}, bundled)).toBe(probe);
  });

  it('prefers the bundled ffprobe to PATH when ffmpeg was not chosen by the user', () => {
    const bundledFfmpeg = { path: '/x/ffmpeg', source: 'bundled' } as const;
    expect(resolveFfprobe(bundledFfmpeg, { PATH: pathDir }, () => b)).toBe(b);
    expect(resolveFfprobe(bundledFfmpeg, { PATH: pathDir }, none)).toBe(join(pathDir, 'ffprobe'));
    expect(() => resolveFfprobe(bundledFfmpeg, { PATH: '' }, none)).toThrow(/ffprobe not found/);
  });

  it('rejects an FFPROBE_PATH that is not an executable file', () => {
    expect(() => resolveFfprobe({ path: a, source: 'env' }, { FFPROBE_PATH: dir }, none)).toThrow(
      /FFPROBE_PATH/,
    );
  });

  it('finds the npm-bundled ffprobe with no ffprobe on PATH, and it runs', () => {
    // The package ships its binary without the execute bit (install scripts are off).
    const found = resolveFfprobe({ path: '/x/ffmpeg', source: 'bundled' }, { PATH: '' });
    expect(found).toMatch(/@ffprobe-installer/);
    const out = execFileSync(found, ['-version'], { encoding: 'utf8' });
    expect(out).toMatch(/^ffprobe version/);
  });
});
