/**
 * Starts the engine as a Node child process running TypeScript through tsx, for every front door
 * (CLI, tests, `serve` and the desktop app). This is the one place that knows how the engine
 * process is made: an Electron utility process would be another maker of the same EngineChannel.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { BulkReceiver } from './bulk/bulkReceiver';
import { BULK_FD_ENV } from './bulk/bulkSender';
import type { EngineOptions } from './protocol';

/** The engine's bulk pipe: fd 3 in the child (stdio index 3); IPC is index 4. */
const BULK_FD = 3;

export interface EngineChannel {
  readonly pid: number;
  /** False once the process is gone or going (its exit may not have been reported yet). */
  readonly connected: boolean;
  send(message: unknown): boolean;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (reason: string) => void): void;
  kill(): void;
  /** Asks the process to finish (closes the channel); it exits on its own. */
  disconnect(): void;
}

/** tsx's loader as an absolute URL, so the child works from any working directory. */
function tsxLoaderUrl(): string {
  try {
    const resolved = (import.meta as { resolve?: (s: string) => string }).resolve?.('tsx');
    if (resolved) return resolved;
  } catch {
    // fall through: some runners (vitest) do not provide import.meta.resolve
  }
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/**
 * The engine's TypeScript entry, seen from the module that starts it: beside this file when it
 * runs from source (CLI, `serve`, tests), or under the app's root when this file was bundled into
 * a chunk of the desktop app's `out/main/` (electron-builder.yml ships `src-main/**` unbundled).
 */
export function engineEntryFor(moduleDir: string): string {
  const beside = join(moduleDir, 'engineMain.ts');
  if (existsSync(beside)) return beside;
  for (let dir = moduleDir, up = 0; up < 4; up++, dir = dirname(dir)) {
    const fromRoot = join(dir, 'src-main', 'engine', 'engineMain.ts');
    if (existsSync(fromRoot)) return fromRoot;
  }
  return beside;
}

/** `entry`: the engine's entry module (tests start their own stand-ins through the same pipes). */
export function startEngineProcess(
  options: EngineOptions,
  entry: string = engineEntryFor(dirname(fileURLToPath(import.meta.url))),
): EngineChannel {
  const child: ChildProcess = fork(entry, [], {
    serialization: 'advanced',
    execArgv: ['--import', tsxLoaderUrl()],
    env: {
      ...process.env,
      POSE_STUDIO_ENGINE_OPTIONS: JSON.stringify(options),
      [BULK_FD_ENV]: String(BULK_FD),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error('could not start the engine process');
  const listeners: ((message: unknown) => void)[] = [];
  let brokenReason = '';
  const receiver = new BulkReceiver(
    (m) => {
      for (const l of listeners) l(m);
    },
    (why) => {
      // A message that can never be completed would leave its request waiting for ever: end the
      // engine, so the client's exit handling fails the requests and starts a new one.
      brokenReason = why;
      child.kill('SIGKILL');
    },
  );
  child.on('message', (m) => receiver.message(m));
  const bulk = child.stdio[BULK_FD] as Readable | null;
  bulk?.on('data', (chunk: Buffer) => receiver.bytes(chunk));
  bulk?.on('error', () => undefined); // the process's exit reports what happened
  return {
    pid: child.pid,
    get connected() {
      return child.connected && child.exitCode === null && child.signalCode === null;
    },
    // child.send() returning false only means "queued" (large messages); a failed send shows up as
    // the process's exit, which the client handles.
    send: (m) => {
      if (!child.connected) return false;
      child.send(m as never, (err) => {
        if (err && child.connected) child.kill('SIGKILL');
      });
      return true;
    },
    onMessage: (l) => listeners.push(l),
    onExit: (l) => {
      child.once('exit', (code, signal) =>
        l(
          brokenReason ||
            (signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`),
        ),
      );
      child.once('error', (e) => l(`failed: ${e.message}`));
    },
    kill: () => child.kill('SIGKILL'),
    disconnect: () => child.connected && child.disconnect(),
  };
}
