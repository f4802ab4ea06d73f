import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Debian `redis-server` for a test: loopback, a free port, a password, persistence off unless asked. */
export interface RedisServer {
  url: string;
  port: number;
  password: string;
  process: ChildProcess;
  /** Stops the server (SIGKILL when `hard`, as a crash would). */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port and password (empty unless started `persistent`). */
  restart(): Promise<RedisServer>;
}

const REDIS = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function launch(
  port: number,
  password: string,
  dir: string,
  persistent: boolean,
): Promise<ChildProcess> {
  const child = spawn(
    REDIS,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--requirepass',
      password,
      '--save',
      '',
      '--appendonly',
      persistent ? 'yes' : 'no',
      // An fsync per write: a SIGKILLed server keeps every acknowledged write (the farm docs'
      // advice for production is the same option).
      '--appendfsync',
      persistent ? 'always' : 'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      // BullMQ refuses any other eviction policy (it would lose jobs).
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start:\n${out}`));
    }, 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${out}`));
    });
  });
}

/**
 * Starts redis-server on a free loopback port (retried if another process takes the port); with
 * `reuse`, on that port, password and folder (a restart).
 */
export async function startRedis(reuse?: {
  port?: number;
  password?: string;
  dir?: string;
  /** Keep the data across a restart (append-only file), as the farm's docs advise. */
  persistent?: boolean;
}): Promise<RedisServer> {
  const password = reuse?.password ?? randomBytes(16).toString('hex');
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'ps-redis-'));
  const ownsDir = reuse?.dir === undefined;
  const restarting = reuse?.port !== undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = reuse?.port ?? (await freePort());
    try {
      const persistent = reuse?.persistent ?? false;
      const child = await launch(port, password, dir, persistent);
      const server: RedisServer = {
        url: `redis://:${password}@127.0.0.1:${port}`,
        port,
        password,
        process: child,
        stop: async (hard = false) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill(hard ? 'SIGKILL' : 'SIGTERM');
          await exited;
          if (ownsDir && !hard) rmSync(dir, { recursive: true, force: true });
        },
        restart: () => startRedis({ port, password, dir, persistent }),
      };
      return server;
    } catch (e) {
      lastError = e;
      if (restarting) break;
    }
  }
  throw lastError;
}
