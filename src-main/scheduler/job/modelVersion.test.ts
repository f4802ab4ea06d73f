import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { puppetModelVersion, puppetRendererSourceHash } from './modelVersion';

const root = mkdtempSync(join(tmpdir(), 'ps-renderer-src-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('puppet renderer identity (part of every puppet segment hash)', () => {
  it('changes with the renderer code, not with its tests; null when the sources are absent', async () => {
    mkdirSync(join(root, 'puppet'));
    writeFileSync(join(root, 'puppet', 'compositor.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'puppet', 'compositor.test.ts'), 'test 1');
    writeFileSync(join(root, 'fit.ts'), 'export const f = 1;');
    const sources = ['puppet', 'fit.ts'];
    const first = await puppetRendererSourceHash(root, sources);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(root, 'puppet', 'compositor.test.ts'), 'test 2');
    expect(await puppetRendererSourceHash(root, sources)).toBe(first);
    writeFileSync(join(root, 'puppet', 'compositor.ts'), 'export const a = 2;');
    expect(await puppetRendererSourceHash(root, sources)).not.toBe(first);
    expect(await puppetRendererSourceHash(root, ['missing'])).toBeNull();
  });

  it("covers this checkout's manifests and renderer sources", async () => {
    expect(await puppetModelVersion()).toMatch(
      /^puppet-warp@\d+:[0-9a-f]{64};renderer:[0-9a-f]{64}$/,
    );
  });
});
