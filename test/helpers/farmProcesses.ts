import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const repoRoot = join(import.meta.dirname, '..', '..');

/** The farm's real processes for end-to-end tests: the CLI, each in its own process group. */
const CLI = join(repoRoot, 'bin', 'pose-studio.js');

export interface JsonLine {
  type: string;
  hash?: string;
  worker?: string;
  accepted?: boolean;
  [k: string]: unknown;
}

export interface CliProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns `pose-studio <args>` detached (so its engines die with it); `onLine` sees each JSON line. */
export function spawnCli(
  args: string[],
  onLine: (l: JsonLine) => void = () => {},
  track: ChildProcess[] = [],
  env: NodeJS.ProcessEnv = process.env,
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track.push(child);
  let buf = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l.trim().startsWith('{')) onLine(JSON.parse(l) as JsonLine);
  });
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

/** SIGKILLs a process group (a crash of the CLI and the engine processes it started). */
export function killGroup(c: ChildProcess): void {
  try {
    process.kill(-c.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** ffmpeg's md5 of every decoded frame of a PNG sequence, in order. */
export function frameHashes(folder: string): string[] {
  const out = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', join(folder, 'frame_%06d.png'), '-f', 'framemd5', '-'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out.split('\n').filter((l) => l && !l.startsWith('#'));
}

/** Sets a copied project's output range and segment length. */
export function setRenderRange(project: string, frames: number, segmentLength: number): void {
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  p.output.range = { from: 0, to: frames };
  p.render.segmentLength = segmentLength;
  writeFileSync(file, JSON.stringify(p));
}
