/**
 * The architecture codemod (issue 14): moves files by a move table and rewrites every import in
 * the repository to its final form, in one pass, so the refactor is mechanical and reviewable.
 *
 *   npx tsx scripts/arch/moveFiles.ts [--table scripts/arch/moves.json] [--dry-run] [--root DIR]
 *
 * The move table is a JSON list of [oldPath, newPath] pairs relative to the root; a pair whose old
 * path is a folder moves every file under it. Specifiers are written as:
 *   - `./x` when the target sits in the importer's folder or below it (a folder's own parts);
 *   - `#shared/…`, `#main/…`, `#native-models/…`, `#test/…` (package.json "imports") for a `.ts`
 *     target anywhere else: no more `../../../`;
 *   - relative for everything under src-renderer and for non-.ts targets (.tsx, .json), because
 *     the aliases map to `*.ts` (the one form tsc, tsx, Node, Vite and vitest all resolve).
 * ts-morph is used only to find specifiers (no type checker), so a run over the tree takes seconds.
 * Path strings that are not imports (electron.vite inputs, `join(dir, 'engineMain.ts')`, …) are
 * listed for a human at the end: they are few and each needs judgement.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, SyntaxKind, type SourceFile, type StringLiteral } from 'ts-morph';

const ALIASES: ReadonlyArray<readonly [prefix: string, alias: string]> = [
  ['src-shared/', '#shared/'],
  ['src-main/', '#main/'],
  ['native-models/', '#native-models/'],
  ['test/', '#test/'],
];
const SOURCE_GLOBS = [
  'src-shared/**/*.{ts,tsx}',
  'src-main/**/*.{ts,tsx}',
  'src-renderer/**/*.{ts,tsx}',
  'native-models/**/*.ts',
  'test/**/*.{ts,tsx}',
  'bench/**/*.ts',
  'assets/scripts/**/*.ts',
  'scripts/**/*.ts',
  '*.config.ts',
];
const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

interface Options {
  root: string;
  table: string;
  dryRun: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = resolve(get('--root') ?? process.cwd());
  return {
    root,
    table: resolve(root, get('--table') ?? 'scripts/arch/moves.json'),
    dryRun: argv.includes('--dry-run'),
  };
}

/** Repo-relative posix path. */
const rel = (root: string, abs: string): string => relative(root, abs).split('\\').join('/');

/** Every file's final path: the longest matching table entry wins (file beats its folder). */
export function buildMoveMap(root: string, files: readonly string[], table: [string, string][]) {
  // A unit test follows its file (x.ts → y.ts takes x.test.ts → y.test.ts) unless listed itself.
  const companions: [string, string][] = [];
  for (const [from, to] of table) {
    const test = from.replace(/\.(tsx?)$/, '.test.$1');
    if (test !== from && files.includes(test) && !table.some(([f]) => f === test))
      companions.push([test, to.replace(/\.(tsx?)$/, '.test.$1')]);
  }
  const sorted = [...table, ...companions].sort((a, b) => b[0].length - a[0].length);
  const map = new Map<string, string>();
  for (const file of files) {
    let to = file;
    for (const [from, dest] of sorted) {
      if (file === from) {
        to = dest;
        break;
      }
      if (file.startsWith(from.endsWith('/') ? from : `${from}/`)) {
        to = posix.join(dest, file.slice(from.replace(/\/$/, '').length + 1));
        break;
      }
    }
    map.set(file, to);
  }
  const seen = new Map<string, string>();
  for (const [from, to] of map) {
    const other = seen.get(to);
    if (other) throw new Error(`move table sends both ${other} and ${from} to ${to}`);
    seen.set(to, from);
    if (to !== from && existsSync(join(root, to)) && !map.has(to))
      throw new Error(`${to} already exists and is not moved away (from ${from})`);
  }
  for (const [from] of table)
    if (!existsSync(join(root, from))) throw new Error(`move table: ${from} does not exist`);
  return map;
}

/** The repo-relative file an import specifier points at (old tree), or undefined if external. */
export function resolveSpecifier(root: string, importer: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith('.')) base = posix.join(posix.dirname(importer), spec);
  else {
    const alias = ALIASES.find(([, a]) => spec.startsWith(a));
    if (!alias) return undefined;
    base = alias[0] + spec.slice(alias[1].length);
  }
  for (const ext of RESOLVE_EXTENSIONS) {
    const candidate = base + ext;
    const abs = join(root, candidate);
    if (existsSync(abs) && statSync(abs).isFile()) return candidate;
  }
  return undefined;
}

/** The specifier the importer (at its new path) should use for the target (at its new path). */
export function specifierFor(importer: string, target: string): string {
  const importerDir = posix.dirname(importer);
  const isTs = target.endsWith('.ts') && !target.endsWith('.d.ts');
  const inRenderer = target.startsWith('src-renderer/');
  const alias = ALIASES.find(([prefix]) => target.startsWith(prefix));
  const below = target.startsWith(`${importerDir}/`);
  if (!below && isTs && !inRenderer && alias)
    return alias[1] + target.slice(alias[0].length).replace(/\.ts$/, '');
  let spec = posix.relative(importerDir, target).replace(/\.tsx?$/, '');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  return spec;
}

/** String literals that name a module: import/export from, import(), vi.mock() and friends. */
function moduleSpecifiers(file: SourceFile): StringLiteral[] {
  const out: StringLiteral[] = [];
  for (const d of [...file.getImportDeclarations(), ...file.getExportDeclarations()]) {
    const s = d.getModuleSpecifier();
    if (s && Node.isStringLiteral(s)) out.push(s);
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression().getText();
    if (!/^(import|vi\.(mock|doMock|unmock|importActual|importMock)|require)$/.test(callee))
      continue;
    const first = call.getArguments()[0];
    if (first && Node.isStringLiteral(first)) out.push(first);
  }
  for (const t of file.getDescendantsOfKind(SyntaxKind.ImportType)) {
    const arg = t.getArgument();
    if (Node.isLiteralTypeNode(arg)) {
      const lit = arg.getLiteral();
      if (Node.isStringLiteral(lit)) out.push(lit);
    }
  }
  return out;
}

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const table = JSON.parse(readFileSync(opts.table, 'utf8')) as [string, string][];
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: false },
  });
  project.addSourceFilesAtPaths(SOURCE_GLOBS.map((g) => join(opts.root, g)));
  const sources = project
    .getSourceFiles()
    .filter((f) => !f.getFilePath().includes('/node_modules/'));
  const tracked = execFileSync('git', ['ls-files'], { cwd: opts.root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const moves = buildMoveMap(opts.root, tracked, table);

  let rewritten = 0;
  const unresolved: string[] = [];
  const edits = new Map<string, string>();
  for (const file of sources) {
    const oldPath = rel(opts.root, file.getFilePath());
    const newPath = moves.get(oldPath) ?? oldPath;
    let changed = false;
    for (const lit of moduleSpecifiers(file)) {
      const spec = lit.getLiteralValue();
      if (!spec.startsWith('.') && !spec.startsWith('#')) continue;
      const target = resolveSpecifier(opts.root, oldPath, spec);
      if (!target) {
        unresolved.push(`${oldPath}:${lit.getStartLineNumber()}: ${spec}`);
        continue;
      }
      const next = specifierFor(newPath, moves.get(target) ?? target);
      if (next !== spec) {
        lit.setLiteralValue(next);
        changed = true;
        rewritten++;
      }
    }
    if (changed || newPath !== oldPath) edits.set(oldPath, file.getFullText());
  }

  // Non-import mentions of moved paths: listed, never guessed.
  const movedPairs = [...moves].filter(([a, b]) => a !== b);
  const mentions: string[] = [];
  for (const file of sources) {
    const path = rel(opts.root, file.getFilePath());
    const specs = new Set(moduleSpecifiers(file));
    for (const lit of file.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
      const v = lit.getLiteralValue();
      if (specs.has(lit)) continue;
      if (movedPairs.some(([a]) => v.includes(a) || v === posix.basename(a)))
        mentions.push(`${path}:${lit.getStartLineNumber()}: '${v}'`);
    }
  }

  // A moved file that builds paths from its own location (`__dirname`, `import.meta.url`) with
  // `..` steps points somewhere else once its depth changes: list those lines.
  const depth = (p: string) => p.split('/').length;
  for (const file of sources) {
    const oldPath = rel(opts.root, file.getFilePath());
    const newPath = moves.get(oldPath) ?? oldPath;
    if (depth(newPath) === depth(oldPath)) continue;
    file
      .getFullText()
      .split('\n')
      .forEach((line, i) => {
        if (/__dirname|import\.meta\.(url|dirname)/.test(line) && /\.\./.test(line))
          mentions.push(`${oldPath}:${i + 1} (moves to ${newPath}): ${line.trim()}`);
      });
  }

  if (!opts.dryRun) {
    for (const [oldPath, text] of edits) writeFileSync(join(opts.root, oldPath), text);
    for (const [from, to] of movedPairs) {
      mkdirSync(dirname(join(opts.root, to)), { recursive: true });
      renameSync(join(opts.root, from), join(opts.root, to));
    }
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    `${opts.dryRun ? 'would move' : 'moved'} ${movedPairs.length} files and ` +
      `${opts.dryRun ? 'rewrite' : 'rewrote'} ${rewritten} ` +
      `specifiers in ${edits.size} files (${sources.length} parsed) in ${ms} ms`,
  );
  if (unresolved.length)
    console.log(`\nunresolved specifiers (left as they were):\n  ${unresolved.join('\n  ')}`);
  if (mentions.length) console.log(`\npath strings to check by hand:\n  ${mentions.join('\n  ')}`);
}

// Run only as a program (the unit test imports the pure parts).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
