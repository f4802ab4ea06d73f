/**
 * The character's warnings reach the user on the render path, not a debug log: `pose-studio
 * render` prints each with its fix (and `--json` emits a `warning` event) before the video is
 * done, once per render, whichever worker set the character up.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runRender } from '#main/cli/commands/render';
import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import { FakeWorker } from '#test/helpers/fakeWorker';
import { captureIO, copySample } from '../render/helpers';

const { root, project } = copySample('ps-render-warn-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ROUGH: CharacterWarning = {
  code: 'rough-mask',
  message: 'no mask was found for this picture: the outline follows the skeleton roughly',
  fix: 'import or paint a mask (white = character)',
};

/** Fake workers whose character setup warns, as the puppet's does on a photo it cannot mask. */
class WarningWorker extends FakeWorker {
  async warnings(): Promise<CharacterWarning[]> {
    return [ROUGH];
  }
}
const warningWorkers: StartWorkers = async (count, _setup, size) =>
  Array.from({ length: count }, (_, i) => new WarningWorker(`warn-${i}`, size));

describe('render warnings', () => {
  it('are printed once, with their fix', async () => {
    const c = captureIO(root);
    const code = await runRender([project, '-o', `${root}/a.mp4`, '--to', '12'], c.io, {
      startWorkers: warningWorkers,
      env: process.env,
    });
    expect(code).toBe(0);
    const lines = c.err.filter((l) => l.includes('warning:'));
    expect(lines).toEqual([`pose-studio: warning: ${ROUGH.message} — ${ROUGH.fix}`]);
  }, 120_000);

  it('are a `warning` event in --json output, before `finished`', async () => {
    const c = captureIO(root);
    const code = await runRender([project, '-o', `${root}/b.mp4`, '--to', '12', '--json'], c.io, {
      startWorkers: warningWorkers,
      env: process.env,
    });
    expect(code).toBe(0);
    const events = c.out.map((l) => JSON.parse(l) as { type: string; warning?: unknown });
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'warning')).toHaveLength(1);
    expect(types.indexOf('warning')).toBeLessThan(types.indexOf('finished'));
    expect(events.find((e) => e.type === 'warning')?.warning).toEqual(ROUGH);
  }, 120_000);
});
