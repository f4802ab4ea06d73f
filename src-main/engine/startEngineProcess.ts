/**
 * Starts the engine as a Node child process running TypeScript through tsx, for every front door
 * (CLI, tests, `serve` and the desktop app). This is the one place that knows how the engine
 * process is made: an Electron utility process would be another maker of the same EngineChannel.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EngineOptions } from './protocol';

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

export function startEngineProcess(options: EngineOptions): EngineChannel {
  const entry = join(dirname(fileURLToPath(import.meta.url)), 'engineMain.ts');
  const child: ChildProcess = fork(entry, [], {
    serialization: 'advanced',
    execArgv: ['--import', tsxLoaderUrl()],
    env: { ...process.env, POSE_STUDIO_ENGINE_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid === undefined) throw new Error('could not start the engine process');
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
    onMessage: (l) => child.on('message', l),
    onExit: (l) => {
      child.once('exit', (code, signal) =>
        l(signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`),
      );
      child.once('error', (e) => l(`failed: ${e.message}`));
    },
    kill: () => child.kill('SIGKILL'),
    disconnect: () => child.connected && child.disconnect(),
  };
}
