import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMoveMap, resolveSpecifier, specifierFor } from './moveFiles';

let root = '';
function tree(files: string[]): string {
  root = mkdtempSync(join(tmpdir(), 'arch-codemod-'));
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return root;
}
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

describe('specifierFor', () => {
  it('keeps a sibling or a file below relative, aliases everything else', () => {
    expect(specifierFor('src-main/a/x.ts', 'src-main/a/y.ts')).toBe('./y');
    expect(specifierFor('src-main/a/x.ts', 'src-main/a/b/y.ts')).toBe('./b/y');
    expect(specifierFor('src-main/a/x.ts', 'src-main/c/y.ts')).toBe('#main/c/y');
    expect(specifierFor('src-main/a/x.ts', 'src-shared/pose/formats/index.ts')).toBe(
      '#shared/pose/formats/index',
    );
    expect(specifierFor('bench/x.ts', 'test/helpers/h.ts')).toBe('#test/helpers/h');
  });

  it('leaves renderer, .tsx and .json targets relative (the aliases map to *.ts only)', () => {
    expect(specifierFor('src-renderer/views/V.tsx', 'src-renderer/api/client.ts')).toBe(
      '../api/client',
    );
    expect(specifierFor('src-main/x/a.ts', 'native-models/puppet/manifest.json')).toBe(
      '../../native-models/puppet/manifest.json',
    );
    expect(specifierFor('src-renderer/a/A.tsx', 'src-shared/api/index.ts')).toBe(
      '#shared/api/index',
    );
  });
});

describe('buildMoveMap', () => {
  it('moves a folder, lets a file entry win over its folder, and takes unit tests along', () => {
    const r = tree(['s/p/a.ts', 's/p/a.test.ts', 's/p/b.ts', 's/q.ts']);
    const files = ['s/p/a.ts', 's/p/a.test.ts', 's/p/b.ts', 's/q.ts'];
    const map = buildMoveMap(r, files, [
      ['s/p', 't/p'],
      ['s/p/a.ts', 'u/a.ts'],
    ]);
    expect(map.get('s/p/a.ts')).toBe('u/a.ts');
    expect(map.get('s/p/a.test.ts')).toBe('u/a.test.ts');
    expect(map.get('s/p/b.ts')).toBe('t/p/b.ts');
    expect(map.get('s/q.ts')).toBe('s/q.ts');
  });

  it('refuses two files sent to one place, a missing source, and overwriting a file that stays', () => {
    const r = tree(['a.ts', 'b.ts', 'c.ts']);
    const files = ['a.ts', 'b.ts', 'c.ts'];
    expect(() =>
      buildMoveMap(r, files, [
        ['a.ts', 'x.ts'],
        ['b.ts', 'x.ts'],
      ]),
    ).toThrow(/both/);
    expect(() => buildMoveMap(r, files, [['gone.ts', 'x.ts']])).toThrow(/does not exist/);
    // c.ts stays where it is: moving a.ts onto it is a collision too.
    expect(() => buildMoveMap(r, files, [['a.ts', 'c.ts']])).toThrow(/both/);
    // An untracked file of the user's at the destination is never overwritten.
    expect(() => buildMoveMap(r, ['a.ts', 'b.ts'], [['a.ts', 'c.ts']])).toThrow(/already exists/);
  });
});

describe('resolveSpecifier', () => {
  it('finds .ts, .tsx and index files behind relative and alias specifiers', () => {
    const r = tree([
      'src-main/a/x.ts',
      'src-main/a/y.ts',
      'src-shared/f/index.ts',
      'src-renderer/V.tsx',
    ]);
    expect(resolveSpecifier(r, 'src-main/a/x.ts', './y')).toBe('src-main/a/y.ts');
    expect(resolveSpecifier(r, 'src-main/a/x.ts', '../../src-shared/f')).toBe(
      'src-shared/f/index.ts',
    );
    expect(resolveSpecifier(r, 'src-main/a/x.ts', '#shared/f/index')).toBe('src-shared/f/index.ts');
    expect(resolveSpecifier(r, 'src-renderer/W.tsx', './V')).toBe('src-renderer/V.tsx');
    expect(resolveSpecifier(r, 'src-main/a/x.ts', 'zod')).toBeUndefined();
    expect(resolveSpecifier(r, 'src-main/a/x.ts', './missing')).toBeUndefined();
  });
});
