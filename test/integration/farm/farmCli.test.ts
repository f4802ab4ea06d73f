import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';
import { copySample } from '../render/helpers';

/** The farm's command-line errors: in the user's words, naming the flag, never the password. */
let redis: RedisServer;
const { root, project } = copySample('ps-farm-cli-');
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('farm command line', () => {
  it.each([
    [['farm'], /farm needs a sub-command: worker/],
    [['farm', 'worker'], /needs --redis/],
    [
      ['farm', 'worker', '--redis', 'redis://x', '--concurrency', '0'],
      /--concurrency must be 1–16/,
    ],
    [
      ['farm', 'worker', '--redis', 'redis://x', '--concurrency', '1e9'],
      /--concurrency must be a whole number/,
    ],
    [['farm', 'worker', '--redis', 'redis://x', '--lock-ms', '5'], /--lock-ms must be 1000/],
    [['farm', 'worker', '--redis', 'http://x'], /must start with redis:\/\//],
    [['farm', 'worker', '--redis', 'redis://x', '--gpu', 'tpu'], /--gpu must be auto or cpu/],
  ])('%j → %s', async (argv, message) => {
    const r = await runCliCaptured(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('render --farm with a wrong password fails before rendering, without printing it', async () => {
    const wrong = redis.url.replace(redis.password, 'hunter2hunter2');
    const r = await runCliCaptured([
      'render',
      project,
      '-o',
      join(project, 'renders', 'x.mp4'),
      '--farm',
      wrong,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/refused the password/);
    expect(r.err).not.toMatch(/hunter2/);
  }, 30_000);

  it('--farm-listen needs --farm, and must be host[:port]', async () => {
    const out = join(project, 'renders', 'x.mp4');
    expect(
      (await runCliCaptured(['render', project, '-o', out, '--farm-listen', '0.0.0.0'])).err,
    ).toMatch(/go with --farm/);
    const r = await runCliCaptured([
      'render',
      project,
      '-o',
      out,
      '--farm',
      redis.url,
      '--farm-listen',
      'a:99999',
    ]);
    expect(r.err).toMatch(/--farm-listen must be host or host:port/);
  });
});
