import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeEngineChannel, fakeEngineProcesses, until } from '#test/helpers/fakeEngineChannel';
import { EngineConnection } from './connection';
import { EngineCrashedError, EngineRequestError } from './errors';

afterEach(() => vi.useRealTimers());

async function started(options = {}) {
  const fake = fakeEngineProcesses();
  const connection = await EngineConnection.start(options, fake.start);
  return { connection, processes: fake.processes };
}

describe('EngineConnection', () => {
  it('matches answers to requests by id, whatever their order, and ignores malformed or unknown ones', async () => {
    const { connection, processes } = await started();
    const engine = processes[0]!;
    const a = connection.request({ type: 'releaseCharacter', characterId: 'a' }, 10_000);
    const b = connection.request({ type: 'releaseCharacter', characterId: 'b' }, 10_000);
    await until(() => engine.sent.length === 2, 'two requests');
    const [ida, idb] = engine.sent.map((m) => m.id);
    engine.emit({ id: ida, ok: 'yes' }); // malformed: no answer
    engine.emit({ id: 9999, ok: true, result: 'stray' }); // no such request
    engine.emit(null);
    engine.answer(idb, 'B');
    engine.answer(ida, 'A');
    expect(await b).toBe('B');
    expect(await a).toBe('A');
    engine.emit({ id: ida, ok: false, error: { message: 'bad pose', kind: 'bad-input' } });
    await connection.close();
  });

  it('rejects an engine error answer with its kind', async () => {
    const { connection, processes } = await started();
    const call = connection.request({ type: 'info' }, 10_000);
    await until(() => processes[0]!.sent.length === 1, 'the request');
    processes[0]!.emit({
      id: processes[0]!.sent[0]!.id,
      ok: false,
      error: { message: 'point 3 x is NaN', kind: 'bad-input' },
    });
    const e = await call.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineRequestError);
    expect(e).toMatchObject({ message: 'point 3 x is NaN', kind: 'bad-input' });
    await connection.close();
  });

  it('a crash rejects calls in flight with EngineCrashedError, tells listeners, restarts and replays before later calls', async () => {
    const { connection, processes } = await started();
    const reasons: string[] = [];
    connection.onCrash((r) => reasons.push(r));
    const order: string[] = [];
    connection.onRestart(async () => {
      order.push('replay');
      const replay = connection.send({ type: 'info' }, 10_000);
      await until(() => processes[1]!.sent.length === 1, 'the replay request');
      processes[1]!.answer(processes[1]!.sent[0]!.id, {});
      await replay;
    });
    const inFlight = connection.request({ type: 'extractFramePoses' } as never, 10_000);
    await until(() => processes[0]!.sent.length === 1, 'the request');
    processes[0]!.exit('killed by SIGKILL');
    const e = await inFlight.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineCrashedError);
    expect((e as Error).message).toBe(
      'engine process 1000 killed by SIGKILL during extractFramePoses; it is being restarted',
    );
    expect((e as EngineCrashedError).reason).toBe(
      'engine process 1000 killed by SIGKILL during extractFramePoses',
    );
    expect(reasons).toEqual(['engine process 1000 killed by SIGKILL']);

    const later = connection.request({ type: 'releaseCharacter', characterId: 'x' }, 10_000);
    await until(() => processes[1]?.sent.length === 2, 'the later request in the new process');
    order.push(String(processes[1]!.sent[1]!.type));
    processes[1]!.answer(processes[1]!.sent[1]!.id, 'done');
    expect(await later).toBe('done');
    expect(order).toEqual(['replay', 'releaseCharacter']);
    expect(connection.restarts).toBe(1);
    expect(connection.boots).toBe(2);
    await connection.close();
  });

  it('gives up after more crashes within a minute than allowed, with an error that does not promise a restart', async () => {
    const { connection, processes } = await started({ maxRestartsPerMinute: 2 });
    for (let crash = 0; crash < 3; crash++) {
      await connection.ready().catch(() => undefined);
      processes[processes.length - 1]!.exit('killed by SIGSEGV');
      await until(() => !processes[processes.length - 1]!.connected, 'the exit');
    }
    const e = await connection.request({ type: 'info' }, 10_000).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(EngineCrashedError);
    expect((e as Error).message).toBe(
      'engine process keeps crashing (3 times within a minute); gave up restarting it',
    );
    expect(processes).toHaveLength(3);
    expect(connection.closed).toBe(true);
  });

  it('kills a process that stays silent past the timeout; progress messages keep a long request alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { connection, processes } = await started();
    const engine = processes[0]!;
    const call = connection.request({ type: 'closeDiffusion', diffusionId: 'd' }, 1_000);
    const outcome = call.catch((x: unknown) => x);
    await until(() => engine.sent.length === 1, 'the request');
    const id = engine.sent[0]!.id;
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900);
      engine.emit({ id, progress: { modelRuns: i } });
    }
    expect(engine.connected).toBe(true);
    vi.advanceTimersByTime(1_000);
    const e = await outcome;
    expect(e).toBeInstanceOf(EngineCrashedError);
    expect((e as EngineCrashedError).reason).toBe(
      'engine did not answer closeDiffusion within 1 s (stuck; it was killed)',
    );
    expect(engine.connected).toBe(false);
    vi.useRealTimers();
    await until(() => processes.length === 2, 'the restart');
    await connection.close();
  });

  it('an abort sends cancel for that request; the engine’s cancelled answer is what the call rejects with', async () => {
    const { connection, processes } = await started();
    const engine = processes[0]!;
    const abort = new AbortController();
    const call = connection.request(
      { type: 'closeDiffusion', diffusionId: 'd' },
      10_000,
      abort.signal,
    );
    await until(() => engine.sent.length === 1, 'the request');
    abort.abort();
    expect(engine.sent[1]).toMatchObject({ type: 'cancel', target: engine.sent[0]!.id });
    engine.emit({
      id: engine.sent[0]!.id,
      ok: false,
      error: { message: 'cancelled', kind: 'cancelled' },
    });
    await expect(call).rejects.toMatchObject({ kind: 'cancelled' });
    await connection.close();
  });

  it('close settles requests still waiting at once, saying so, and refuses later ones', async () => {
    const { connection, processes } = await started();
    const call = connection.request({ type: 'closeDiffusion', diffusionId: 'd' }, 600_000);
    const outcome = call.catch((x: unknown) => x);
    await until(() => processes[0]!.sent.length === 1, 'the request');
    await connection.close();
    expect(((await outcome) as Error).message).toBe('engine client closed during closeDiffusion');
    await expect(connection.request({ type: 'info' }, 1_000)).rejects.toThrow(
      'engine client is closed',
    );
    expect(processes).toHaveLength(1); // no restart after a close
  });

  it('a process that fails to start rejects start with the engine’s reason', async () => {
    const start = () => {
      const channel = new FakeEngineChannel(7);
      setImmediate(() =>
        channel.emit({ type: 'startFailed', message: 'onnxruntime-node is missing' }),
      );
      return channel;
    };
    await expect(EngineConnection.start({}, start)).rejects.toThrow(
      'engine process failed to start: onnxruntime-node is missing',
    );
  });
});
