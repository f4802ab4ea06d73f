import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { copySample } from './helpers';

const { root, project } = copySample('ps-diffusion-render-');
const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));
let pack: string;

/** The sample project switched to the diffusion generator at the tiny pack's 64×64. */
function setGenerator(packPath: string, render: Record<string, unknown>): void {
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p.generator = {
    id: 'diffusion',
    params: { pack: packPath, steps: 2, guidance: 1, prompt: 'a dancer', seed: 3 },
  };
  p.output = { ...(p.output as object), width: 64, height: 64, range: { from: 0, to: 8 } };
  p.render = { ...(p.render as object), ...render };
  writeFileSync(file, JSON.stringify(p, null, 2));
}

beforeAll(async () => {
  pack = await buildTinyPack(join(root, 'tiny-pack'));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// `fused` (several windows in one fusion group) is covered by fusedRender.test.ts.
describe('pose-studio render with the diffusion generator (tiny pack, real ORT, real ffmpeg)', () => {
  it('renders an interleaved plan to MP4, then takes every segment from the cache', async () => {
    setGenerator(pack, { strategy: 'interleaved', segmentLength: 4, segmentOverlap: 1 });
    const out = join(root, 'diffusion.mp4');
    const first = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const events = first.out.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.at(-1)).toMatchObject({ type: 'finished', frames: 8, width: 64, height: 64 });
    const probe = await probeVideo(ffprobe, out);
    expect(probe).toMatchObject({ frames: 8, width: 64, height: 64 });
    // The reference bank was cached in the project.
    expect(readdirSync(join(project, 'cache', 'diffusion-banks')).length).toBeGreaterThan(0);

    const again = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(again.code).toBe(0);
    const done = again.out
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .at(-1);
    expect(done).toMatchObject({ type: 'finished', frames: 8, segmentsRendered: 0 });
  }, 60_000);

  it('renders a chained plan (previous frames fed back through the scheduler)', async () => {
    setGenerator(pack, { strategy: 'chained', segmentLength: 4, segmentOverlap: 2 });
    const out = join(root, 'chained.mp4');
    const r = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await probeVideo(ffprobe, out)).toMatchObject({ frames: 8, width: 64, height: 64 });
  }, 60_000);

  it('a missing pack is exit 2 naming the pack, with nothing written', async () => {
    setGenerator(join(root, 'no-such-pack'), { strategy: 'independent', segmentLength: 4 });
    const out = join(root, 'missing.mp4');
    const r = await runCliCaptured(['render', project, '-o', out], root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/generator\.params\.pack/);
    expect(r.err).toMatch(/no-such-pack.*does not exist/);
    expect(existsSync(out)).toBe(false);
  });
});
