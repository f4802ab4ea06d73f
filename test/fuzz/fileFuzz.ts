/**
 * The file fuzzer: malformed pose files and project files made from real files (the shared
 * fixtures, the project's own test fixtures and sample project), run through the real load
 * paths — `readPoses` (every importer) with a round trip through `writePoses`, `loadProject`
 * (read, BOM, parse, migrate, validate) with a round trip through `serializeProject`, and every
 * few cases the CLI (`poses convert`, `project validate`).
 *
 * Outcomes: accepted; refused with the project's own error (`ProjectError`, `PoseFormatError`,
 * `PoseFileError`, or a CLI exit 2 with one line); a **crash** is anything else (another throw, a
 * CLI exit 1, an accepted file whose result is not finite or cannot be read back). A refusal that
 * does not name the field (the root path for a problem deeper down) is counted separately.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoseFormatError } from '#shared/pose/formats/index';
import { ProjectError, serializeProject, validateProject } from '#shared/project/index';
import { sampleProject } from '#shared/project/testProjects';
import { loadProject } from '#main/project/projectStore';
import { PoseFileError, readPoses, writePoses } from '#main/services/poseFiles/poseFiles';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { malformedFile } from './fileMutations';

const ROOT = join(import.meta.dirname, '../..');
const POSE_SEED_DIRS = [
  join(ROOT, '../shared/fixtures/poses'),
  join(ROOT, 'test/fixtures/poses'),
  join(ROOT, 'test/fixtures/poses/openpose-folder'),
];
const PROJECT_SEED_FILES = [join(ROOT, 'assets/sample-project/project.json')];

export interface Seed {
  name: string;
  kind: 'pose' | 'project';
  value: unknown;
}

/** Every real pose file and project file the fuzzer mutates. */
export async function loadSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [];
  for (const dir of POSE_SEED_DIRS) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const text = await readFile(join(dir, name), 'utf8');
      seeds.push({ name, kind: 'pose', value: JSON.parse(text.replace(/^\ufeff/, '')) });
    }
  }
  for (const file of PROJECT_SEED_FILES)
    seeds.push({
      name: file.slice(ROOT.length + 1),
      kind: 'project',
      value: JSON.parse(await readFile(file, 'utf8')),
    });
  seeds.push({ name: 'sampleProject()', kind: 'project', value: sampleProject() });
  return seeds;
}

export interface FuzzFailure {
  case: number;
  seed: string;
  what: string;
}

export interface FuzzReport {
  cases: number;
  accepted: number;
  refused: number;
  crashes: FuzzFailure[];
  unnamed: FuzzFailure[];
}

const OWN_ERRORS = [ProjectError, PoseFormatError, PoseFileError];
const isOwn = (e: unknown): e is Error => OWN_ERRORS.some((T) => e instanceof T);

/** Problems with the whole file, where the root is the right place to name. */
const WHOLE_FILE =
  /not valid JSON|must be a JSON object|expected an object|not a pose file|format version|no pose|not a ControlNet|unknown pose|expected .* landmarks or|must be an array|expected an array|got an array of|got (null|an object|number|boolean|the string)/i;

/** Longest message a refusal may print: one line a person reads. */
const MAX_MESSAGE = 600;

function unnamedReason(e: Error): string | undefined {
  if (e.message.length > MAX_MESSAGE || e.message.includes('\n'))
    return `message of ${e.message.length} characters: ${e.message.slice(0, 200)}…`;
  const at = e instanceof ProjectError ? e.field : e instanceof PoseFormatError ? e.path : 'x';
  const reason = e instanceof ProjectError || e instanceof PoseFormatError ? e.reason : e.message;
  const root = at === 'project' || at === '(top level)' || at === '';
  return root && !WHOLE_FILE.test(reason) && !/point /.test(reason) ? e.message : undefined;
}

function allFinite(
  frames: { width: number; height: number; people: { points: Float64Array }[] }[],
) {
  return frames.every(
    (f) =>
      Number.isFinite(f.width) &&
      Number.isFinite(f.height) &&
      f.people.every((p) => p.points.every((v) => Number.isFinite(v))),
  );
}

/** Runs one pose file through the importers and back out; throws what a user would see. */
async function poseCase(dir: string, text: string): Promise<void> {
  const input = join(dir, 'poses.json');
  await writeFile(input, text);
  const read = await readPoses(input);
  if (!allFinite(read.frames)) throw new Error('accepted a file and produced non-finite points');
  if (read.frames.length === 0) return;
  const out = join(dir, 'out.json');
  await writePoses(out, read.frames, 'comfyui');
  const back = await readPoses(out);
  if (back.frames.length !== read.frames.length)
    throw new Error(`wrote ${read.frames.length} frames, read back ${back.frames.length}`);
}

/** Runs one project file through the store and back out. */
async function projectCase(dir: string, text: string): Promise<void> {
  await writeFile(join(dir, 'project.json'), text);
  const { project } = await loadProject(dir);
  const again = validateProject(JSON.parse(serializeProject(project)));
  if (!again.ok)
    throw new Error(`a loaded project does not validate after saving: ${again.issues[0]!.field}`);
}

async function cliCase(dir: string, seed: Seed): Promise<string | undefined> {
  const argv =
    seed.kind === 'pose'
      ? ['poses', 'convert', join(dir, 'poses.json'), join(dir, 'cli-out.json')]
      : ['project', 'validate', dir];
  const r = await runCliCaptured(argv, dir);
  if (r.code === 0) return undefined;
  if (r.code !== 2) return `exit ${r.code}: ${r.err.split('\n')[0]}`;
  if (r.err.split('\n').length !== 1) return `exit 2 with ${r.err.split('\n').length} lines`;
  return undefined;
}

export interface FuzzOptions {
  cases: number;
  seed?: number;
  /** Run the CLI on every n-th case (0: never). */
  cliEvery?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
}

export async function runFileFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seeds = await loadSeeds();
  const poseSeeds = seeds.filter((s) => s.kind === 'pose');
  const projectSeeds = seeds.filter((s) => s.kind === 'project');
  const base = options.seed ?? 1;
  const report: FuzzReport = { cases: 0, accepted: 0, refused: 0, crashes: [], unnamed: [] };
  const work = await mkdtemp(join(tmpdir(), 'pose-studio-fuzz-'));
  try {
    for (let c = 0; c < options.cases; c++) {
      const caseSeed = base * 1_000_003 + c;
      // Half pose files, half project files (there are fewer project seeds).
      const pool = c % 2 === 0 ? poseSeeds : projectSeeds;
      const seed = pool[Math.floor(c / 2) % pool.length]!;
      const { text } = malformedFile(seed.value, caseSeed);
      const dir = join(work, String(c % 16));
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      const fail = (list: FuzzFailure[], what: string) =>
        list.push({ case: caseSeed, seed: seed.name, what });
      try {
        await (seed.kind === 'pose' ? poseCase(dir, text) : projectCase(dir, text));
        report.accepted++;
      } catch (e) {
        if (!isOwn(e))
          fail(report.crashes, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        else {
          report.refused++;
          const unnamed = unnamedReason(e);
          if (unnamed) fail(report.unnamed, unnamed);
        }
      }
      if (options.cliEvery && c % options.cliEvery === 0) {
        const cli = await cliCase(dir, seed);
        if (cli) fail(report.crashes, `CLI: ${cli}`);
      }
      report.cases++;
      options.onProgress?.(report.cases, report);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return report;
}
