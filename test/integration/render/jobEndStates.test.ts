import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import { CliError } from '#main/cli/cliError';
import { FakeWorker } from '#test/helpers/fakeWorker';
import type { SegmentRequest } from '#shared/render/worker';
import { jobIdFor, type JobManifest } from '#main/scheduler/job/jobManifest';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import { captureIO, copySample, fakeWorkers } from './helpers';

/**
 * How a render job ends (issue 13): one render of a job at a time (a second one is refused, not
 * interleaved into the same manifest), and a failure after the render started ends the job as
 * `failed` with one line of reason, removing only its own temporary output.
 */
const { root, project } = copySample('ps-jobend-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function render(
  args: string[],
  startWorkers: StartWorkers = fakeWorkers(),
): Promise<{ code: number; error: string | null }> {
  const c = captureIO(root);
  try {
    return {
      code: await runRender([project, ...args], c.io, { startWorkers, env: process.env }),
      error: null,
    };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, error: e.message };
    throw e;
  }
}

function manifestOf(output: string, format: string, from: number, to: number): JobManifest {
  const id = jobIdFor(output, format, from, to);
  return JSON.parse(
    readFileSync(join(project, 'renders', id, 'manifest.json'), 'utf8'),
  ) as JobManifest;
}

/** Fake workers that draw slowly (so a render lasts long enough to collide with another). */
const slowWorkers: StartWorkers = async (count, _setup, size) =>
  Array.from({ length: count }, (_, i) => new FakeWorker(`slow-${i}`, size, 15));

/** Workers whose second segment dies like a crashed engine (message with a stack trace). */
class DyingWorker extends FakeWorker {
  override async renderSegment(req: SegmentRequest, signal: AbortSignal) {
    if (req.segment.index === 1)
      throw new Error(
        'engine exited with code 134\n    at EngineClient.onExit (/internal/engineClient.ts:88:11)',
      );
    return super.renderSegment(req, signal);
  }
}
const dyingWorkers: StartWorkers = async (_count, _setup, size) => [new DyingWorker('dying', size)];

describe('render job end states', () => {
  it('a second render of the same job while one runs is refused; the first finishes alone', async () => {
    const out = join(root, 'twice.mp4');
    const args = ['-o', out, '--from', '0', '--to', '72', '--workers', '1'];
    const first = render(args, slowWorkers);
    // Wait until the first holds the job (its lock file): a fixed 300 ms was not always enough on
    // a loaded machine, and the second then took the job first.
    const lock = join(project, 'renders', jobIdFor(out, 'mp4', 0, 72), 'lock');
    for (let waited = 0; !existsSync(lock); waited += 20) {
      if (waited > 30_000) throw new Error('the first render never took the job');
      await new Promise((r) => setTimeout(r, 20));
    }
    const second = await render(args, slowWorkers);
    expect(second.code).toBe(2);
    expect(second.error).toMatch(/twice\.mp4.*already running.*wait for it/);
    expect(await first).toEqual({ code: 0, error: null });
    const m = manifestOf(out, 'mp4', 0, 72);
    expect(m.state).toBe('done');
    expect(m.attempts).toHaveLength(1);
    expect(readdirSync(join(project, 'renders', m.jobId)).sort()).toEqual([
      'coherence.json',
      'manifest.json',
    ]);
    // the job is free again afterwards
    expect((await render(args)).code).toBe(0);
  });

  it('a render in another process holds the job; a killed one does not', async () => {
    const out = join(root, 'other.mp4');
    const args = ['-o', out, '--from', '0', '--to', '48', '--workers', '1'];
    const m = jobIdFor(out, 'mp4', 0, 48);
    const lock = join(project, 'renders', m, 'lock');
    mkdirSync(join(project, 'renders', m), { recursive: true });
    // a live process of this host (a sleeping child) holds the lock
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const host = (await import('node:os')).hostname();
    writeFileSync(lock, JSON.stringify({ pid: child.pid, host, startedAt: 'x' }));
    const refused = await render(args);
    expect(refused.code).toBe(2);
    expect(refused.error).toMatch(new RegExp(`already running \\(process ${child.pid}\\)`));
    expect(existsSync(lock)).toBe(true);
    // … once that process is gone, its lock is stale and the render takes the job over
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await render(args)).code).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(manifestOf(out, 'mp4', 0, 48).state).toBe('done');
  });

  it('a worker dying mid-render ends the job as failed with one line; the previous output and the user files stay', async () => {
    const out = join(root, 'late.mp4');
    const args = ['-o', out, '--from', '0', '--to', '72', '--workers', '1'];
    expect((await render(args)).code).toBe(0);
    const before = readFileSync(out);
    writeFileSync(join(root, 'user-notes.txt'), 'mine');
    rmSync(join(project, 'cache'), { recursive: true, force: true }); // segments must be rendered

    const r = await render([...args, '--overwrite'], dyingWorkers);
    expect(r.code).toBe(1);
    expect(r.error).toMatch(/engine exited with code 134/);
    expect(r.error).not.toMatch(/\n|internal/);
    const m = manifestOf(out, 'mp4', 0, 72);
    expect(m.state).toBe('failed');
    expect(m.error).toBe('segment 1 (frames 24–47): engine exited with code 134');
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readFileSync(join(root, 'user-notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
    expect(existsSync(join(project, 'renders', m.jobId, 'lock'))).toBe(false);
  });

  it('a PNG render dying mid-way into a user folder removes only its own frames', async () => {
    const dir = join(root, 'user-frames');
    mkdirSync(dir);
    writeFileSync(join(dir, 'frame_000000.txt'), 'mine');
    rmSync(join(project, 'cache'), { recursive: true, force: true });
    const r = await render(
      ['-o', dir, '--format', 'png', '--from', '0', '--to', '72', '--overwrite'],
      dyingWorkers,
    );
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['frame_000000.txt']);
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
    expect(manifestOf(dir, 'png', 0, 72).state).toBe('failed');
  });
});
