import {
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseByteSize, runCache } from '#main/cli/commands/cache';
import { writeManifest } from '#main/scheduler/job/jobManifest';
import { tempPathFor } from '#main/fs/atomicWrite';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { captureIO, copySample } from './helpers';

const { root, project } = copySample('ps-cache-cli-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KB = 1024;
const hash = (n: number) => n.toString(16).padStart(2, '0').repeat(16);
const segPath = (n: number) =>
  join(project, 'cache', 'segments', hash(n).slice(0, 2), `${hash(n)}.seg`);

/** Segment n, `kb` KB, last used n hours ago. */
function segment(n: number, kb: number): void {
  const p = segPath(n);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, new Uint8Array(kb * KB));
  const t = Date.now() / 1000 - n * 3600;
  utimesSync(p, t, t);
}

function fill(): void {
  rmSync(join(project, 'cache'), { recursive: true, force: true });
  rmSync(join(project, 'renders'), { recursive: true, force: true });
  for (let n = 1; n <= 6; n++) segment(n, 10);
  const bank = join(project, 'cache', 'diffusion-banks', `${'ab'.repeat(32)}.bank`);
  mkdirSync(join(bank, '..'), { recursive: true });
  writeFileSync(bank, new Uint8Array(20 * KB));
  const stray = tempPathFor(segPath(1));
  writeFileSync(stray, new Uint8Array(KB));
  const old = Date.now() / 1000 - 3600;
  utimesSync(stray, old, old);
  utimesSync(bank, old - 100 * 3600, old - 100 * 3600); // the least recently used of all
}

describe('pose-studio cache', () => {
  it('prints usage by kind, as text and as JSON', async () => {
    fill();
    const text = await runCliCaptured(['cache', project]);
    expect(text.code).toBe(0);
    expect(text.err).toBe('');
    expect(text.out).toMatch(/81\.0 KB in 8 files/);
    expect(text.out).toMatch(/segments\s+6 files\s+60\.0 KB/);
    expect(text.out).toMatch(/diffusion banks\s+1 files\s+20\.0 KB/);
    expect(text.out).toMatch(/temporary files\s+1 files\s+1\.00 KB/);

    const json = await runCliCaptured(['cache', project, '--json']);
    const r = JSON.parse(json.out);
    expect(r.usage).toMatchObject({
      files: 8,
      bytes: 81 * KB,
      byKind: { segments: { files: 6 }, diffusionBanks: { files: 1 }, temp: { files: 1 } },
    });
    expect(r.limitBytes).toBeGreaterThan(0);
  });

  it('--prune --max-size removes least recently used first, and says what went', async () => {
    fill();
    const r = await runCliCaptured(['cache', project, '--prune', '--max-size', '30K']);
    expect(r.code).toBe(0);
    // 81 KB → ≤ 30 KB: the stray temp file, the bank (oldest), then segments 6, 5, 4.
    expect(r.out).toMatch(/removed 5 files \(51\.0 KB\), 30\.0 KB in 3 files left/);
    expect(r.out).toMatch(/removed segments\s+3 files\s+30\.0 KB/);
    expect(r.out).toMatch(/removed diffusion banks\s+1 files/);
    expect(r.out).toMatch(/removed temporary files\s+1 files/);
    expect([1, 2, 3, 4, 5, 6].filter((n) => existsSync(segPath(n)))).toEqual([1, 2, 3]);
    expect(readdirSync(join(project, 'cache', 'segments')).sort()).toEqual(['01', '02', '03']);
  });

  it('keeps the segments of a render still running, and reports being over the limit', async () => {
    fill();
    await writeManifest(project, {
      version: 1,
      jobId: 'abcdefabcdef',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      state: 'running',
      output: join(root, 'x.mp4'),
      format: 'mp4',
      from: 0,
      to: 48,
      width: 512,
      height: 512,
      fps: 24,
      segments: [5, 6].map((n, index) => ({
        index,
        start: index * 24,
        end: index * 24 + 24,
        hash: hash(n),
        done: true,
      })),
      attempts: [],
      error: null,
    });
    const r = await runCliCaptured(['cache', project, '--prune', '--max-size', '0', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.overLimit).toBe(true);
    expect(out.after).toMatchObject({ files: 2, bytes: 20 * KB });
    expect(out.removedFiles).toHaveLength(6);
    expect([1, 2, 3, 4, 5, 6].filter((n) => existsSync(segPath(n)))).toEqual([5, 6]);
  });

  it("prunes to the settings' limit without --max-size", async () => {
    fill();
    const c = captureIO(root);
    expect(
      await runCache([project, '--prune'], c.io, { settingsLimitBytes: async () => 65 * KB }),
    ).toBe(0);
    expect(c.out[0]).toMatch(/to 65\.0 KB: removed 2 files \(21\.0 KB\)/); // temp + bank
  });

  it('bad input: one line, exit 2, nothing removed', async () => {
    fill();
    const cases: [string[], RegExp][] = [
      [['cache'], /needs a project folder/],
      [['cache', join(root, 'nowhere')], /not a Pose Studio project folder/],
      [['cache', join(project, 'assets'), '--prune'], /not a Pose Studio project folder/],
      [['cache', project, '--prune', '--max-size', '5'], /--max-size must look like 500M, 5G/],
      [['cache', project, '--prune', '--max-size', '-1G'], /--max-size must look like/],
      [['cache', project, '--prune', '--max-size', 'lots'], /--max-size must look like/],
      [['cache', project, '--max-size', '5G'], /use it with --prune/],
      [['cache', project, '--prune', '--max-size'], /--max-size needs a value/],
      [['cache', project, '--purge'], /unknown option --purge/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCliCaptured(argv, root);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
    expect([1, 2, 3, 4, 5, 6].filter((n) => existsSync(segPath(n)))).toHaveLength(6);
  });

  it('parses sizes in powers of 1024', () => {
    expect(parseByteSize('5G')).toBe(5 * 1024 ** 3);
    expect(parseByteSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseByteSize('1.5T')).toBe(1.5 * 1024 ** 4);
    expect(parseByteSize('750MB')).toBe(750 * 1024 ** 2);
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('64k')).toBe(64 * 1024);
    expect(parseByteSize('0')).toBe(0);
  });
});

describe('pose-studio cache: a cache/ linked outside the project', () => {
  it('is refused in one line and nothing in the linked folder is deleted', async () => {
    const outside = join(root, 'user-videos');
    mkdirSync(join(outside, 'segments', hash(1).slice(0, 2)), { recursive: true });
    writeFileSync(join(outside, 'segments', hash(1).slice(0, 2), `${hash(1)}.seg`), 'mine');
    rmSync(join(project, 'cache'), { recursive: true, force: true });
    symlinkSync(outside, join(project, 'cache'));
    try {
      const r = await runCliCaptured(['cache', project, '--prune', '--max-size', '0']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^pose-studio: project: cache is a link to a folder outside the project; delete the link/,
      );
      expect(readdirSync(join(outside, 'segments', hash(1).slice(0, 2)))).toEqual([
        `${hash(1)}.seg`,
      ]);
    } finally {
      rmSync(join(project, 'cache'));
    }
  });
});
