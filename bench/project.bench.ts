/**
 * Project file benchmark: a long hand-keyed project (2 people × N keyframes each, every point
 * moving) validated, written atomically and read back through the same code the studio uses
 * (zod schema, migrations, atomic save with backup).
 *
 *   npm run bench:project                 # 3,000 keyframes per person
 *   npm run bench:project -- --keys 10000
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProject, validateProject } from '#shared/project/parse';
import type { Project } from '#shared/project/schema';
import { serializeProject } from '#shared/project/serialize';
import { points, sampleProject } from '#shared/project/testProjects';
import { loadProject, saveProject } from '#main/project/projectStore';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const KEYS = Number(arg('keys', '3000'));
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function longProject(): Project {
  const input = parseProject(sampleProject());
  const track = input.tracks[0]!;
  for (const [p, person] of track.people.entries())
    person.keyframes = Array.from({ length: KEYS }, (_, k) => ({
      id: `p${p}k${k}`,
      frame: k * 2,
      // Every coordinate moves (a realistic file size: no repeated values to compress).
      points: points((i) => (i % 3 === 2 ? 1 : 100 + ((i * 7 + k * 13 + p) % 300) + k / 1000)),
      easing: { kind: 'linear' as const },
    }));
  input.output.range = { from: 0, to: KEYS * 2 };
  return parseProject(input);
}

async function main(): Promise<void> {
  const project = longProject();
  const dir = await mkdtemp(join(tmpdir(), 'project-bench-'));
  try {
    const text = serializeProject(project);
    const raw = JSON.parse(text) as unknown;
    const validate: number[] = [];
    const write: number[] = [];
    const read: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      validate.push(await time(() => validateProject(raw)));
      write.push(await time(() => saveProject(dir, project)));
      read.push(await time(() => loadProject(dir)));
    }
    const bytes = (await stat(join(dir, 'project.json'))).size;
    const mb = (bytes / 2 ** 20).toFixed(1);
    console.log(
      `project bench — 2 people × ${KEYS.toLocaleString('en')} keyframes (${mb} MB of JSON), median of ${RUNS}`,
    );
    console.log(`  validate (zod schema + rules): ${median(validate).toFixed(0)} ms`);
    console.log(
      `  save (atomic: temp file, fsync, rename, backup): ${median(write).toFixed(0)} ms`,
    );
    console.log(`  load (read, parse, migrate, validate): ${median(read).toFixed(0)} ms`);
    const loaded = await loadProject(dir);
    if (loaded.project.tracks[0]!.people[0]!.keyframes.length !== KEYS)
      throw new Error('the project read back does not have its keyframes');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
