import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { engineEntryFor } from '#main/engine/startEngineProcess';

/**
 * The installers `npm run dist` builds must carry what the desktop app runs: the engine (its
 * TypeScript sources, run by tsx in a forked process, and the packages they import), the puppet's
 * graph, ffmpeg and ffprobe. Checked with electron-builder's own file matcher (app-builder-lib's
 * `getMainFileMatchers`, the code that decides what is copied) on the real paths of this checkout:
 * building an installer needs Electron's binary and the network, which CI does not have.
 */
const root = resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(join(root, 'package.json'));
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar?: boolean;
  asarUnpack?: string[];
  directories: { output: string; buildResources: string };
  extraMetadata?: { main?: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean }>;
};

interface Matcher {
  createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean;
}
const { getMainFileMatchers, getFileMatchers } = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers: (...args: unknown[]) => Matcher[];
  getFileMatchers: (...args: unknown[]) => Matcher[] | null;
};

/** What electron-builder copies from the project (node_modules aside: see `isShippedPackage`). */
const shipped = (() => {
  const packager = {
    info: {
      projectDir: root,
      buildResourcesDir: config.directories.buildResources,
      isPrepackedAppAsar: false,
      config,
      debugLogger: { isEnabled: false },
    },
  };
  const [main] = getMainFileMatchers(
    root,
    '/app',
    (s: string) => s,
    {},
    packager,
    join(root, config.directories.output),
    false,
  );
  const filter = main!.createFilter();
  return (path: string) =>
    filter(join(root, path), {
      isDirectory: () => existsSync(join(root, path)) && statSync(join(root, path)).isDirectory(),
    });
})();

/** What stays outside the asar archive (everything when there is none). */
const unpacked = (() => {
  if (config.asar === false) return () => true;
  const matchers = getFileMatchers(config, 'asarUnpack', '/app', {
    macroExpander: (s: string) => s,
    customBuildOptions: {},
    globalOutDir: join(root, config.directories.output),
    defaultSrc: root,
  });
  const filter = matchers?.[0]?.createFilter();
  return (path: string) => filter?.(join(root, path), { isDirectory: () => false }) ?? false;
})();

/** A package electron-builder copies: installed as a dependency of the app, not a dev tool. */
function isShippedPackage(name: string): boolean {
  const entry = lock.packages[`node_modules/${name}`];
  return entry !== undefined && entry.dev !== true;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const ALIASES: [string, string][] = [
  ['#shared/', 'src-shared/'],
  ['#main/', 'src-main/'],
  ['#native-models/', 'native-models/'],
];

function resolveLocal(fromFile: string, specifier: string): string | null {
  let base: string | null = null;
  for (const [alias, dir] of ALIASES)
    if (specifier.startsWith(alias)) base = join(root, dir, specifier.slice(alias.length));
  if (specifier.startsWith('.')) base = resolve(dirname(fromFile), specifier);
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${relative(root, fromFile)}: cannot resolve ${specifier}`);
}

/** Every source file the engine process loads and every package it imports, from its entry. */
function engineClosure(): { files: string[]; packages: Set<string> } {
  const entry = join(root, 'src-main', 'engine', 'engineMain.ts');
  const seen = new Set<string>([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  const IMPORT =
    /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  while (queue.length) {
    const file = queue.pop()!;
    if (!/\.tsx?$/.test(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('#test/')) throw new Error(`${relative(root, file)} imports a test`);
      const local = resolveLocal(file, specifier);
      if (local === null) packages.add(packageOf(specifier));
      else if (!seen.has(local)) {
        seen.add(local);
        queue.push(local);
      }
    }
  }
  return { files: [...seen].map((f) => relative(root, f)), packages };
}

const engine = engineClosure();

describe('electron-builder.yml ships what the desktop app runs', () => {
  it('the engine: every source file it loads, unpacked for the forked process', () => {
    expect(engine.files.length).toBeGreaterThan(50);
    expect(engine.files).toContain('native-models/puppet/manifest.json');
    const missing = engine.files.filter((f) => !shipped(f) || !unpacked(f));
    expect(missing).toEqual([]);
    // package.json carries the "#shared/*" aliases the engine's imports go through.
    expect(shipped('package.json') && unpacked('package.json')).toBe(true);
  });

  it('the engine: every package it imports is a dependency of the app, tsx and esbuild too', () => {
    const needed = [...engine.packages, 'tsx', 'esbuild'];
    expect(needed).toContain('onnxruntime-node');
    expect(needed.filter((p) => !isShippedPackage(p))).toEqual([]);
    // esbuild (tsx's compiler) runs a native binary: it must exist on disk, not in an archive.
    for (const p of ['tsx', 'esbuild', ...engine.packages])
      expect(unpacked(`node_modules/${p}/package.json`), p).toBe(true);
  });

  it("the engine's entry is found from the bundled main process (out/main)", () => {
    const bundledMain = dirname(join(root, config.extraMetadata?.main ?? 'out/main/index.js'));
    // electron-vite puts the engine client in a chunk: out/main/chunks/engineClient-<hash>.js.
    for (const dir of [bundledMain, join(bundledMain, 'chunks')])
      expect(relative(root, engineEntryFor(dir))).toBe(join('src-main', 'engine', 'engineMain.ts'));
    expect(relative(root, engineEntryFor(join(root, 'src-main', 'engine')))).toBe(
      join('src-main', 'engine', 'engineMain.ts'),
    );
  });

  it('the puppet graph', () => {
    for (const f of ['native-models/puppet/puppetWarp.ts', 'native-models/puppet/manifest.json'])
      expect(shipped(f) && unpacked(f), f).toBe(true);
  });

  it('ffmpeg and ffprobe of this platform, as the app finds them', () => {
    for (const pkg of ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']) {
      const binary = (require(pkg) as { path: string }).path;
      expect(existsSync(binary), binary).toBe(true);
      const path = relative(root, binary).split('\\').join('/');
      const [, owner] = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path) ?? [];
      expect(owner, path).toBeDefined();
      expect(isShippedPackage(owner!), owner).toBe(true);
      expect(unpacked(path), path).toBe(true);
    }
  });

  it('the built app: main, preload and renderer bundles; not tests or source maps', () => {
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
      expect(shipped(f), f).toBe(true);
    for (const f of [
      'src-main/engine/sessionPool.test.ts',
      'out/main/index.js.map',
      'test/e2e/harness.ts',
    ])
      expect(shipped(f), f).toBe(false);
  });
});
