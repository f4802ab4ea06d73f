import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run lint:deps` passing on the real tree proves nothing if a rule's path pattern never
// matches. This runs the project's own .dependency-cruiser.cjs on a small tree that breaks each
// kind of rule once, and on one that breaks none.

const repo = resolve(__dirname, '../../..');
const depcruise = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ps-lint-deps-'));
  await copyFile(join(repo, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  await writeFile(
    join(dir, 'tsconfig.node.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler' },
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await copyFile(join(dir, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  await copyFile(join(dir, 'tsconfig.node.json'), join(root, 'tsconfig.node.json'));
  return root;
}

/** The rule names the lint reports for a tree, one entry per violation, sorted. */
async function violations(root: string): Promise<string[]> {
  const { stdout } = await run(
    process.execPath,
    [depcruise, 'src-shared', 'src-main', 'test', '--config', '.dependency-cruiser.cjs'].concat([
      '--output-type',
      'json',
      '--no-cache',
    ]),
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return result.summary.violations.map((v) => v.rule.name).sort();
}

describe('the import rules (.dependency-cruiser.cjs)', () => {
  it('report a back edge, a type-only cycle, an import of a test, node:* in src-shared', async () => {
    const root = await tree('bad', {
      // the engine imports the scheduler (layer 5 → 6)
      'src-main/engine/engineThing.ts':
        "import { s } from '../scheduler/job';\nexport const e = s;\n",
      'src-main/scheduler/job.ts': 'export const s = 1;\n',
      // a cycle through a type-only import still counts
      'src-shared/render/a.ts': "import type { B } from './b';\nexport type A = { b?: B };\n",
      'src-shared/render/b.ts': "import type { A } from './a';\nexport type B = { a?: A };\n",
      // product code importing a test helper
      'src-main/project/store.ts':
        "import { h } from '../../test/helpers/h';\nexport const p = h;\n",
      'test/helpers/h.ts': 'export const h = 1;\n',
      // the pure domain reaching for Node
      'src-shared/pose/io.ts':
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    });
    expect(await violations(root)).toEqual([
      'engine-not-to-project-scheduler-services-farm-host-app-cli',
      'no-circular', // one report per cycle
      'product-not-to-tests',
      'shared-is-pure', // node:fs is outside src-shared …
      'shared-no-node-builtins', // … and a Node built-in
    ]);
  });

  it('accept imports that go down the layers', async () => {
    const root = await tree('good', {
      'src-main/scheduler/job.ts':
        "import { e } from '../engine/engineThing';\nexport const s = e;\n",
      'src-main/engine/engineThing.ts':
        "import { m } from '../media/ffmpeg';\nexport const e = m;\n",
      'src-main/media/ffmpeg.ts':
        "import { x } from '../../src-shared/render/x';\nexport const m = x;\n",
      'src-shared/render/x.ts': 'export const x = 1;\n',
      'test/uses.test.ts': "import { s } from '../src-main/scheduler/job';\nexport const t = s;\n",
    });
    expect(await violations(root)).toEqual([]);
  });
});
