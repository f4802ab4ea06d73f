/**
 * Closing an engine client while a request is in flight settles that request at once with a
 * message saying so (it used to wait for its timeout: up to minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';

const SAMPLE = join(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');
const models = mkdtempSync(join(tmpdir(), 'ps-close-models-'));
afterAll(() => rmSync(models, { recursive: true, force: true }));

describe('EngineClient.close', () => {
  it('rejects a request in flight promptly, naming the close', async () => {
    const job = await prepareProjectRender(SAMPLE, {}, { pictureSize });
    const engine = await EngineClient.start({ threads: 1, modelCacheDir: models });
    const { characterId } = await engine.setupCharacter({
      picturePath: job.picturePath,
      referencePose: Float64Array.from(job.character.referencePose),
    });
    // ~5 s of frames: still running when the client closes.
    const poses = Array.from({ length: 400 }, (_, f) => job.poseAt(f % 288));
    const inFlight = engine.renderPuppetFrames({ characterId, poses });
    inFlight.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await engine.close();
    await expect(inFlight).rejects.toThrow(/engine client closed during renderPuppetFrames/);
    expect(performance.now() - t0).toBeLessThan(6_000);
  }, 60_000);
});
