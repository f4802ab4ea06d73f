import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killGroup, setRenderRange, spawnCli } from '#test/helpers/farmProcesses';
import { freePort } from '#test/helpers/redisServer';
import { copySample } from '../render/helpers';

/**
 * The farm over TLS (`rediss://`): a real redis-server with a TLS port only, its certificate
 * signed by a CA made here with openssl. The worker and the manager trust that CA through
 * Node's NODE_EXTRA_CA_CERTS (as a studio would with its own CA) and render; without it the
 * manager refuses in words before rendering.
 */
const dir = mkdtempSync(join(tmpdir(), 'ps-farm-tls-'));
const password = 'tls-farm-password';
const children: ChildProcess[] = [];
let redis: ChildProcess;
let url: string;

function openssl(args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=pose-studio test CA',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'redis.key',
    '-out',
    'redis.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'redis.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'redis.crt',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  const port = await freePort();
  redis = spawn(
    process.env.REDIS_SERVER ?? '/usr/bin/redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      'redis.crt',
      '--tls-key-file',
      'redis.key',
      '--tls-ca-cert-file',
      'ca.crt',
      '--tls-auth-clients',
      'no',
      '--requirepass',
      password,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      dir,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server (TLS) did not start:\n${out}`)),
      10_000,
    );
    redis.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  url = `rediss://:${password}@127.0.0.1:${port}`;
});
afterAll(() => {
  for (const c of children) killGroup(c);
  redis?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('render farm over TLS', () => {
  it('renders through rediss:// when the CA is trusted, and refuses in words when it is not', async () => {
    const { root, project } = copySample('ps-farm-tls-project-');
    try {
      setRenderRange(project, 16, 8);
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt') };
      const output = join(project, 'renders', 'out');

      const untrusted = spawnCli(
        ['render', project, '-o', output, '--format', 'png', '--farm', url],
        undefined,
        children,
      );
      const refused = await untrusted.exit;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+\/?: .*certificate/i,
      );
      expect(refused.stderr).toMatch(/NODE_EXTRA_CA_CERTS/);
      expect(refused.stderr).not.toContain(password);

      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      spawnCli(
        ['farm', 'worker', '--redis', url, '--cache', join(dir, 'assets')],
        (l) => l.type === 'ready' && ready(),
        children,
        env,
      );
      await isReady;
      const run = spawnCli(
        ['render', project, '-o', output, '--format', 'png', '--farm', url],
        undefined,
        children,
        env,
      );
      const result = await run.exit;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(readdirSync(output).filter((f) => f.endsWith('.png'))).toHaveLength(16);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
