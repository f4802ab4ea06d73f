/**
 * Values a broken project or pose file could carry (NaN, ±Infinity, 1e308, wrong types) sent to a
 * real engine process: each request is answered with a bad-input error in one line that names
 * the point, the engine keeps running (same process, no restart), and a render through the
 * scheduler reports the segment in one line instead of an unhandled rejection.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, EngineRequestError } from '#main/engine/client/engineClient';
import { startEngineProcess } from '#main/engine/startEngineProcess';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { PuppetWorker } from '#main/scheduler/workers/puppetWorker';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { runSegments } from '#main/scheduler/segmentRunner';
import { hashOf } from '#shared/render/hash';
import { planRender } from '#shared/render/plan';

const ASSETS = join(import.meta.dirname, '..', '..', '..', 'assets', 'characters');
const picturePath = join(ASSETS, 'sprout.png');
const reference = Float64Array.from(
  (JSON.parse(readFileSync(join(ASSETS, 'sprout.pose.json'), 'utf8')) as { points: number[] })
    .points,
);
let dir: string;
let engine: EngineClient;
let characterId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ps-hostile-'));
  engine = await EngineClient.start({ modelCacheDir: join(dir, 'models') });
  ({ characterId } = await engine.setupCharacter({ picturePath, referencePose: reference }));
}, 120_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

function withValue(index: number, value: number): Float64Array {
  const p = Float64Array.from(reference);
  p[index] = value;
  return p;
}

async function badInput(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineRequestError);
  expect((error as EngineRequestError).kind).toBe('bad-input');
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('hostile numbers at the engine boundary (real engine process)', () => {
  it('answers NaN, ±Infinity and 1e308 in a puppet pose with one line naming the point', async () => {
    const { pid } = await engine.info();
    const cases: [number, number, RegExp][] = [
      [0, NaN, /^invalid request: poses\[1\]: point 0 x is NaN: pose numbers must be finite/],
      [4, 1e308, /^invalid request: poses\[1\]: point 1 y is 1e\+308: .*±1,000,000$/],
      [6, -Infinity, /poses\[1\]: point 2 x is -Infinity/],
      [8, NaN, /poses\[1\]: point 2 confidence is NaN/],
    ];
    for (const [index, value, message] of cases)
      expect(
        await badInput(
          engine.renderPuppetFrames({ characterId, poses: [reference, withValue(index, value)] }),
        ),
      ).toMatch(message);
    // The same for a character's reference pose.
    expect(
      await badInput(engine.setupCharacter({ picturePath, referencePose: withValue(3, 1e308) })),
    ).toMatch(/^invalid request: setup\.referencePose: point 1 x is 1e\+308/);
    // Still the same process, still rendering.
    expect(engine.restarts).toBe(0);
    expect((await engine.info()).pid).toBe(pid);
    expect(await engine.renderPuppetFrames({ characterId, poses: [reference] })).toHaveLength(1);
  });

  it('refuses a layer override that would overflow the warp (1e308 gave NaN pixels) or names no bone', async () => {
    const { pid } = await engine.info();
    const setup = (layers: Record<string, number>) =>
      engine.setupCharacter({ picturePath, referencePose: reference, layers });
    expect(await badInput(setup({ rUpperArm: 1e308 }))).toBe(
      'invalid request: setup.layers.rUpperArm: a layer is between -100 and 100',
    );
    expect(await badInput(setup({ head: NaN }))).toMatch(/^invalid request: setup\.layers\.head: /);
    expect(await badInput(setup({ rUperArm: 1 }))).toMatch(
      /^invalid request: setup\.layers: unknown bone "rUperArm" \(bones: torso, head, /,
    );
    expect(engine.restarts).toBe(0);
    expect((await engine.info()).pid).toBe(pid);
  });

  it('answers malformed messages on the raw channel, one line each, and keeps running', async () => {
    const channel = startEngineProcess({ modelCacheDir: join(dir, 'models'), warmUp: false });
    const answers = new Map<number, { ok: boolean; error?: { message: string; kind: string } }>();
    let exited = '';
    channel.onExit((r) => (exited = r));
    await new Promise<void>((resolve) =>
      channel.onMessage((m) => {
        const msg = m as { type?: string; id?: number };
        if (msg.type === 'ready') return resolve();
        if (typeof msg.id === 'number') answers.set(msg.id, m as never);
      }),
    );
    const sent: [number, unknown][] = [
      [1, { type: 'renderPuppetFrames', characterId: 'c', poses: 'not a list' }],
      [2, { type: 'renderPuppetFrames', characterId: 'c', poses: [new Float32Array(408)] }],
      [3, { type: 'renderPuppetFrames', characterId: 'c', poses: [new Float64Array(7)] }],
      [4, { type: 'no-such-request' }],
      [5, { type: 'setupCharacter', characterId: 'c', setup: { picturePath: 7 } }],
      [6, { type: 'info' }],
    ];
    for (const [id, body] of sent) channel.send({ ...(body as object), id });
    await expect.poll(() => answers.size, { timeout: 30_000 }).toBe(sent.length);
    for (const id of [1, 2, 3, 4, 5]) {
      const a = answers.get(id)!;
      expect(a.ok).toBe(false);
      expect(a.error!.kind).toBe('bad-input');
      expect(a.error!.message).toMatch(/^invalid request: /);
      expect(a.error!.message).not.toContain('\n');
    }
    expect(answers.get(2)!.error!.message).toMatch(/poses\[0\]: a pose is a Float64Array/);
    expect(answers.get(3)!.error!.message).toMatch(/a pose has 408 numbers .*, got 7/);
    expect(answers.get(6)!.ok).toBe(true);
    expect(exited).toBe('');
    channel.disconnect();
  });

  it('a render whose poses hold NaN fails in one line naming the segment, without an unhandled rejection', async () => {
    const plan = planRender(
      {
        from: 0,
        to: 24,
        segmentLength: 8,
        segmentOverlap: 0,
        strategy: 'independent',
        anchorFrame: -1,
      },
      { frameHash: (f) => hashOf(f), settingsHash: 'hostile' },
    );
    // Frame 13 (segment 1, second batch of the worker's two in flight) is broken.
    const poseAt = (f: number) => (f === 13 ? withValue(30, NaN) : reference);
    const worker = new PuppetWorker(
      'puppet-1',
      engine,
      { picturePath, referencePose: reference },
      {
        width: 256,
        height: 256,
      },
    );
    const run = runSegments({
      jobId: 'hostile',
      plan,
      cache: new SegmentCache(join(dir, 'cache')),
      dispatcher: new Dispatcher([worker]),
      poses: (s) =>
        Array.from({ length: s.windowEnd - s.windowStart }, (_, i) => poseAt(s.windowStart + i)),
      deliver: async () => undefined,
    });
    await expect(run).rejects.toThrow(
      /^segment 1 \(frames 8–15\): invalid request: poses\[5\]: point 10 x is NaN: [^\n]*$/,
    );
    expect(engine.restarts).toBe(0);
  });
});
