import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Debian `redis-server` for a test: loopback, a free port, a password, no persistence. */
export interface RedisServer {
  url: string;
  port: number;
  password: string;
  process: ChildProcess;
  /** Stops the server (SIGKILL when `hard`, as a crash would). */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port and password (an empty database: nothing was saved). */
  restart(): Promise<RedisServer>;
}

const REDIS = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function launch(port: number, password: string, dir: string): Promise<ChildProcess> {
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
      'no',
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

/** Starts redis-server on a free loopback port (retried if another process takes the port). */
export async function startRedis(reuse?: {
  port: number;
  password: string;
  dir: string;
}): Promise<RedisServer> {
  const password = reuse?.password ?? randomBytes(16).toString('hex');
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'ps-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = reuse?.port ?? (await freePort());
    try {
      const child = await launch(port, password, dir);
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
          if (!reuse && !hard) rmSync(dir, { recursive: true, force: true });
        },
        restart: () => startRedis({ port, password, dir }),
      };
      return server;
    } catch (e) {
      lastError = e;
      if (reuse) break;
    }
  }
  throw lastError;
}
