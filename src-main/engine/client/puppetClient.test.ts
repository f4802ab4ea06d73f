import { describe, expect, it } from 'vitest';
import {
  fakeEngineProcesses,
  until,
  type FakeEngineChannel,
} from '#test/helpers/fakeEngineChannel';
import { EngineConnection } from './connection';
import { EngineCrashedError } from './errors';
import { PuppetClient } from './puppetClient';

const W = 4;
const H = 2;
const plate = () => new Uint8Array(W * H * 3).fill(200);
const setupAnswer = (characterId: unknown, plateBytes = plate()) => ({
  characterId,
  width: W,
  height: H,
  setupMs: 1,
  maskSource: 'flood-fill',
  maskPixels: 3,
  warnings: [],
  layers: [],
  plate: plateBytes,
  mask: new Uint8Array(W * H),
  parts: new Uint8Array(W * H).fill(255),
});

/** Answers the newest request of `type` in `engine` once it is there. */
async function answerNext(
  engine: FakeEngineChannel,
  type: string,
  result: (m: Record<string, unknown>) => unknown,
) {
  const before = engine.requests(type).length;
  await until(() => engine.requests(type).length > before, type);
  const m = engine.requests(type).at(-1)!;
  engine.answer(m.id, result(m));
}

describe('PuppetClient', () => {
  it('sets the character up again under the same id, from its own copy, in a restarted engine', async () => {
    const { processes, start } = fakeEngineProcesses();
    const connection = await EngineConnection.start({}, start);
    const puppet = new PuppetClient(connection);
    const pose = new Float64Array(408).fill(5);
    const setup = puppet.setupCharacter({
      picturePath: '/p.png',
      referencePose: pose,
      quality: 'fast',
    });
    await answerNext(processes[0]!, 'setupCharacter', (m) => setupAnswer(m.characterId));
    const info = await setup;
    expect(info).toEqual({
      characterId: 'character-1',
      width: W,
      height: H,
      setupMs: 1,
      maskSource: 'flood-fill',
      maskPixels: 3,
      warnings: [],
      layers: [],
    });
    expect(puppet.characterLayers('character-1')?.parts).toHaveLength(W * H);
    pose.fill(-1); // the caller reuses its array

    const frame = puppet.renderPuppetFrames({ characterId: 'character-1', poses: [pose] });
    await until(() => processes[0]!.requests('renderPuppetFrames').length === 1, 'the render');
    processes[0]!.exit('killed by SIGKILL');
    await expect(frame).rejects.toBeInstanceOf(EngineCrashedError);

    const again = puppet.renderPuppetFrames({ characterId: 'character-1', poses: [pose] });
    await answerNext(processes[1]!, 'setupCharacter', (m) => setupAnswer(m.characterId));
    const replayed = processes[1]!.requests('setupCharacter')[0]!;
    expect(replayed.characterId).toBe('character-1');
    expect(replayed.setup).toEqual({
      picturePath: '/p.png',
      referencePose: new Float64Array(408).fill(5),
      quality: 'fast',
    });
    const patch = { width: W, height: H, box: [1, 0, 2, 1], data: new Uint8Array([1, 2, 3]) };
    await answerNext(processes[1]!, 'renderPuppetFrames', () => ({ frames: [patch] }));
    const [out] = await again;
    expect(Array.from(out!.data.subarray(0, 6))).toEqual([200, 200, 200, 1, 2, 3]);
    await connection.close();
  });

  it('refuses a plate or a frame of the wrong size as an internal engine error', async () => {
    const { processes, start } = fakeEngineProcesses();
    const connection = await EngineConnection.start({}, start);
    const puppet = new PuppetClient(connection);
    const setup = puppet.setupCharacter({
      picturePath: '/p.png',
      referencePose: new Float64Array(408),
    });
    await answerNext(processes[0]!, 'setupCharacter', (m) =>
      setupAnswer(m.characterId, new Uint8Array(5)),
    );
    await expect(setup).rejects.toMatchObject({
      kind: 'internal',
      message: 'engine returned a background plate of the wrong size',
    });

    const ok = puppet.setupCharacter({
      picturePath: '/p.png',
      referencePose: new Float64Array(408),
    });
    await answerNext(processes[0]!, 'setupCharacter', (m) => setupAnswer(m.characterId));
    const { characterId } = await ok;
    const frames = puppet.renderPuppetFrames({ characterId, poses: [new Float64Array(408)] });
    const patch = { width: W, height: H, box: [0, 0, 9, 9], data: new Uint8Array(3) };
    await answerNext(processes[0]!, 'renderPuppetFrames', () => ({ frames: [patch] }));
    await expect(frames).rejects.toMatchObject({ kind: 'internal' });
    await expect(
      puppet.renderPuppetFrames({ characterId: 'character-99', poses: [] }),
    ).rejects.toMatchObject({ kind: 'bad-input', message: 'unknown character "character-99"' });
    await connection.close();
  });

  it('unpacks planes sent as runs, and refuses runs that do not add up to the picture', async () => {
    const { processes, start } = fakeEngineProcesses();
    const connection = await EngineConnection.start({}, start);
    const puppet = new PuppetClient(connection);
    const setup = () =>
      puppet.setupCharacter({ picturePath: '/p.png', referencePose: new Float64Array(408) });
    const flat = (channels: number, value: number, pixels = W * H) => ({
      channels,
      pixels,
      lengths: new Uint32Array([pixels]),
      values: new Uint8Array(channels).fill(value),
    });
    const packed = setup();
    await answerNext(processes[0]!, 'setupCharacter', (m) => ({
      ...setupAnswer(m.characterId),
      plate: flat(3, 200),
      mask: { ...flat(1, 0), lengths: new Uint32Array([5, 3]), values: new Uint8Array([0, 1]) },
      parts: flat(1, 255),
    }));
    const { characterId } = await packed;
    expect(puppet.backgroundPlate(characterId)).toEqual(plate());
    expect(Array.from(puppet.characterLayers(characterId)!.mask)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);

    for (const bad of [
      { plate: { ...flat(3, 200), lengths: new Uint32Array([W * H + 1]) } },
      { plate: flat(3, 200, 2 ** 40) },
      { plate: flat(1, 200) },
      { mask: { ...flat(1, 0), lengths: new Uint32Array([0xffffffff, 0xffffffff]) } },
      { parts: { ...flat(1, 255), values: new Uint8Array(0) } },
    ]) {
      const refused = setup();
      await answerNext(processes[0]!, 'setupCharacter', (m) => ({
        ...setupAnswer(m.characterId),
        ...bad,
      }));
      await expect(refused).rejects.toMatchObject({ kind: 'internal' });
    }
    await connection.close();
  });
});
