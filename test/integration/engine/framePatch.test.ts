/**
 * Puppet frames cross from the engine as patches over the character's plate (the crop the
 * renderer drew into). The frames the client rebuilds must be byte-identical to rendering in-process,
 * also after the engine is killed and the client re-learns the plate from the replayed setup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import type { RgbImage } from '#shared/image/rgbImage';
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { renderPuppetFrame } from '#main/engine/puppet/puppetRenderer';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';

const SAMPLE = join(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');
const models = mkdtempSync(join(tmpdir(), 'ps-patch-models-'));
afterAll(() => rmSync(models, { recursive: true, force: true }));

describe('puppet frames through the engine (patches over the plate)', () => {
  it('are byte-identical to in-process frames, before and after an engine crash', async () => {
    const job = await prepareProjectRender(SAMPLE, {}, { pictureSize });
    // Arms down, raised, crossing: crops of very different sizes.
    const poses = [0, 30, 60, 100, 150, 200].map((f) => job.poseAt(f));
    const setup = {
      picturePath: job.picturePath,
      referencePose: Float64Array.from(job.character.referencePose),
      ...(job.maskPath ? { maskPath: job.maskPath } : {}),
    };
    const character = await setupPuppetCharacter(setup);
    const expected: RgbImage[] = [];
    for (const p of poses) expected.push(await renderPuppetFrame(character, p));

    const engine = await EngineClient.start({ threads: 1, modelCacheDir: models });
    try {
      const { characterId } = await engine.setupCharacter(setup);
      const same = async () => {
        const got = await engine.renderPuppetFrames({ characterId, poses });
        expect(got).toHaveLength(poses.length);
        got.forEach((f, i) => {
          expect([f.width, f.height]).toEqual([expected[i]!.width, expected[i]!.height]);
          expect(Buffer.from(f.data).equals(Buffer.from(expected[i]!.data))).toBe(true);
          expect(f.alpha === undefined).toBe(expected[i]!.alpha === undefined);
          if (f.alpha)
            expect(Buffer.from(f.alpha).equals(Buffer.from(expected[i]!.alpha!))).toBe(true);
        });
      };
      await same();
      process.kill((await engine.info()).pid, 'SIGKILL');
      // The call may land on the dead engine (rejected) or after the restart; either way the
      // character is set up again and its plate re-sent.
      await engine.renderPuppetFrames({ characterId, poses }).catch(() => undefined);
      await same();
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('stay whole with requests in flight together and an engine killed during a long answer', async () => {
    const job = await prepareProjectRender(SAMPLE, {}, { pictureSize });
    const poses = Array.from({ length: 40 }, (_, f) => job.poseAt(f * 5));
    const setup = {
      picturePath: job.picturePath,
      referencePose: Float64Array.from(job.character.referencePose),
      ...(job.maskPath ? { maskPath: job.maskPath } : {}),
    };
    const character = await setupPuppetCharacter(setup);
    const expected = poses.map((p) => renderPuppetFrame(character, p));
    const same = (got: RgbImage[], from: number) =>
      got.forEach((f, i) =>
        expect(Buffer.from(f.data).equals(Buffer.from(expected[from + i]!.data))).toBe(true),
      );
    const engine = await EngineClient.start({ threads: 1, modelCacheDir: models });
    try {
      const { characterId } = await engine.setupCharacter(setup);
      // Three requests at once: their frames' bytes share the one pipe, in order.
      const parts = await Promise.all(
        [0, 8, 24].map((at) =>
          engine.renderPuppetFrames({ characterId, poses: poses.slice(at, at + 16) }),
        ),
      );
      [0, 8, 24].forEach((at, k) => same(parts[k]!, at));
      // Killed while a long answer is being rendered or sent: the request fails or is replayed,
      // and nothing of the dead engine's bytes reaches the next answer.
      const { pid } = await engine.info();
      const long = engine.renderPuppetFrames({ characterId, poses: [...poses, ...poses] });
      setTimeout(() => process.kill(pid, 'SIGKILL'), 40);
      await long.catch(() => undefined);
      same(await engine.renderPuppetFrames({ characterId, poses }), 0);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
