/**
 * A save killed with SIGKILL at random moments never leaves a broken project: project.json is
 * always the old or the new version, project.json.bak always a complete earlier version.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateProject } from '#shared/project/index';
import { loadProject } from '#main/project/projectStore';

const LOOP = join(import.meta.dirname, 'saveLoop.ts');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the save loop until it has saved `minSaves` times, then `delayMs` more, then kills it. */
function saveThenKill(minSaves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOOP, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let saves = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      saves += d
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('saved')).length;
      if (saves >= minSaves && !child.killed) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(saves);
      else reject(new Error(`save loop ended without being killed: ${stderr}`));
    });
  });
}

describe('saving under kill -9', () => {
  it('always leaves a loadable project.json and a complete backup', async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 6; round++) {
      const saves = await saveThenKill(2, Math.floor(random() * 40));
      expect(saves).toBeGreaterThanOrEqual(2);
      const loaded = await loadProject(dir);
      expect(loaded.project.name).toMatch(/^save \d+$/);
      const backup = migrateProject(
        JSON.parse(await readFile(join(dir, 'project.json.bak'), 'utf8')),
      );
      expect(backup.project.name).toMatch(/^save \d+$/);
      // Whatever temp file the kill left behind is only ever a hidden .tmp next to the project.
      for (const name of await readdir(dir))
        expect(name).toMatch(
          /^(project\.json|project\.json\.bak|\.project\.json(\.bak)?\.\d+\.[0-9a-f]{8}\.tmp)$/,
        );
    }
  }, 60_000);
});
