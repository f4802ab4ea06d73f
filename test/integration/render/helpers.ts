import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '#main/cli/command';
import { FakeWorker } from '#test/helpers/fakeWorker';
import type { StartWorkers } from '#main/scheduler/workers/workers';

export const SAMPLE_PROJECT = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'assets',
  'sample-project',
);

/** A fresh copy of the sample project in a temp folder. */
export function copySample(prefix = 'ps-render-'): { root: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const project = join(root, 'project');
  cpSync(SAMPLE_PROJECT, project, { recursive: true });
  return { root, project };
}

export function captureIO(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, cwd };
  return { io, out, err };
}

/** Workers that draw each pose as dots (no engine): for scheduler behaviour, not pixels. */
export function fakeWorkers(log: FakeWorker[] = []): StartWorkers {
  return async (count, _setup, size) => {
    const ws = Array.from({ length: count }, (_, i) => new FakeWorker(`fake-${i}`, size));
    log.push(...ws);
    return ws;
  };
}
