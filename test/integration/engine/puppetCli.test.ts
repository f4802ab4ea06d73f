/** `pose-studio puppet` through the in-process CLI harness (the engine is a real child process). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toControlNetPose } from '#shared/pose/formats/exportControlNet';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { stockPose, writeCharacter } from '#test/fixtures/characters/drawCharacter';
import { wavePose } from './poses';
import { psnr } from './metrics';

let dir: string;
const poseJson = (points: Float64Array, size = 512) =>
  JSON.stringify(toControlNetPose({ width: size, height: size, people: [{ id: 0, points }] }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'puppet-cli-'));
  await writeCharacter(join(dir, 'char.png'), {});
  await writeFile(join(dir, 'ref.json'), poseJson(stockPose()));
  await writeFile(join(dir, 'wave.json'), poseJson(wavePose(stockPose(), 1)));
  // The same target drawn on a canvas twice as big: scaled to the picture.
  await writeFile(
    join(dir, 'wave2x.json'),
    poseJson(
      wavePose(stockPose(), 1).map((v, i) => (i % 3 === 2 ? v : v * 2)),
      1024,
    ),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pose-studio puppet', () => {
  it('renders one frame at the picture size, scaling poses from another canvas', async () => {
    const a = await runCliCaptured(
      ['puppet', 'char.png', '--ref', 'ref.json', '--pose', 'wave.json', '-o', 'out/a.png'],
      dir,
    );
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/wrote .*a\.png \(512×512\)/);
    const b = await runCliCaptured(
      ['puppet', 'char.png', '--ref', 'ref.json', '--pose', 'wave2x.json', '-o', 'out/b.png'],
      dir,
    );
    expect(b.code).toBe(0);
    const pa = await sharp(join(dir, 'out/a.png')).raw().toBuffer();
    const pb = await sharp(join(dir, 'out/b.png')).raw().toBuffer();
    expect(psnr(new Uint8Array(pa), new Uint8Array(pb))).toBeGreaterThan(45);
    // The target pose really moved the character: the frame is not the (white-flattened) picture.
    const ref = await sharp(join(dir, 'char.png'))
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer();
    expect(pa.length).toBe(512 * 512 * 3);
    expect(psnr(new Uint8Array(pa), new Uint8Array(ref))).toBeLessThan(30);
    // An existing file is not replaced without --overwrite (issue 13) …
    await writeFile(join(dir, 'out/mine.png'), 'mine');
    const args = ['puppet', 'char.png', '--ref', 'ref.json', '--pose', 'wave.json', '-o'];
    const refused = await runCliCaptured([...args, 'out/mine.png'], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/mine\.png already exists.*--overwrite/);
    expect(await readFile(join(dir, 'out/mine.png'), 'utf8')).toBe('mine');
    // … and is with it; a 255-byte output name works (the temporary name is short).
    expect((await runCliCaptured([...args, 'out/mine.png', '--overwrite'], dir)).code).toBe(0);
    expect((await sharp(join(dir, 'out/mine.png')).metadata()).width).toBe(512);
    const long = `out/${'p'.repeat(251)}.png`;
    expect((await runCliCaptured([...args, long], dir)).code).toBe(0);
    expect(existsSync(join(dir, long))).toBe(true);
  });

  it('gives one-line errors for missing flags, bad pose files and unreadable pictures', async () => {
    const noRef = await runCliCaptured(
      ['puppet', 'char.png', '--pose', 'wave.json', '-o', 'x.png'],
      dir,
    );
    expect(noRef.code).toBe(2);
    expect(noRef.err).toMatch(/--ref/);
    await writeFile(join(dir, 'bad.json'), '{"people": 3}');
    const bad = await runCliCaptured(
      ['puppet', 'char.png', '--ref', 'bad.json', '--pose', 'wave.json', '-o', 'x.png'],
      dir,
    );
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')).toHaveLength(1);
    await writeFile(join(dir, 'broken.png'), 'not a picture');
    const broken = await runCliCaptured(
      ['puppet', 'broken.png', '--ref', 'ref.json', '--pose', 'wave.json', '-o', 'x.png'],
      dir,
    );
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/cannot read picture/);
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
    expect(await readFile(join(dir, 'ref.json'), 'utf8')).toContain('people');
  });
});
