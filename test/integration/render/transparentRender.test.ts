/**
 * Transparent backgrounds end to end through the product path (project → puppet engine → segment
 * cache → ffmpeg): the sample's cut-out character renders to a PNG sequence whose background is
 * transparent and whose character is opaque; 'transparent' on a real photo keeps only the person;
 * the same project as MP4 composites over the plate without an error.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Project } from '#shared/project/schema';
import { runCliCaptured } from '#test/helpers/cliHarness';

const ROOT = resolve(import.meta.dirname, '../../..');
const REAL = resolve(ROOT, '../shared/fixtures');
const root = mkdtempSync(join(tmpdir(), 'ps-transparent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function editProject(dir: string, edit: (p: Project) => void): void {
  const file = join(dir, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Project;
  edit(p);
  writeFileSync(file, JSON.stringify(p));
}

async function firstPng(folder: string) {
  const name = readdirSync(folder)
    .filter((f) => f.endsWith('.png'))
    .sort()[0]!;
  return sharp(join(folder, name)).raw().toBuffer({ resolveWithObject: true });
}

describe('transparent background renders (real engine and ffmpeg)', () => {
  it("a cut-out picture renders as PNG with its transparent background ('plate')", async () => {
    const dir = join(root, 'sample');
    cpSync(join(ROOT, 'assets', 'sample-project'), dir, { recursive: true });
    // Sprout made a cut-out: its mask becomes the picture's alpha channel, and the mask file goes.
    const picture = join(dir, 'assets', 'sprout.png');
    const mask = await sharp(join(dir, 'assets', 'sprout.mask.png'))
      .greyscale()
      .raw()
      .toBuffer();
    const rgb = await sharp(picture).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = rgb.info;
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgb.data.copy(rgba, i * 4, i * 3, i * 3 + 3);
      rgba[i * 4 + 3] = mask[i]!;
    }
    writeFileSync(
      picture,
      await sharp(rgba, { raw: { width, height, channels: 4 } })
        .png()
        .toBuffer(),
    );
    editProject(dir, (p) => {
      p.output.range = { from: 0, to: 3 };
      delete p.characters[0]!.mask;
    });
    const out = join(root, 'sample-png');
    const r = await runCliCaptured(['render', dir, '-o', out, '--format', 'png']);
    expect(r.code, r.err).toBe(0);
    const { data, info } = await firstPng(out);
    expect(info.channels).toBe(4);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
    expect(alphaAt(2, 2)).toBe(0);
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++;
    // The character (Sprout covers ~15–40% of the frame) is opaque, the rest transparent.
    expect(opaque / (info.width * info.height)).toBeGreaterThan(0.05);
    expect(opaque / (info.width * info.height)).toBeLessThan(0.6);

    // The same project as MP4: composited over the white plate, no alpha, no error.
    const mp4 = join(root, 'sample.mp4');
    const m = await runCliCaptured(['render', dir, '-o', mp4, '--format', 'mp4']);
    expect(m.code, m.err).toBe(0);
  });

  it("'transparent' on a real photo keeps only the person", async () => {
    const dir = join(root, 'photo');
    const c = await runCliCaptured([
      'project',
      'create',
      dir,
      '--picture',
      join(REAL, 'photos/spin_im1010.jpg'),
      '--pose',
      join(REAL, 'poses/spin_im1010_openpose.json'),
    ]);
    expect(c.code, c.err).toBe(0);
    const track = join(root, 'still.json');
    // The photo's own pose as a one-key track: the frame is the picture, minus its background.
    writeFileSync(track, readFileSync(join(REAL, 'poses/spin_im1010_openpose.json')));
    editProject(dir, (p) => {
      p.generator = { id: 'puppet', params: { background: 'transparent' } };
      p.output.range = { from: 0, to: 2 };
      p.output.format = 'png';
      p.tracks = [
        {
          id: 'still',
          name: 'still',
          width: 153,
          height: 192,
          fps: 24,
          people: [
            {
              personId: 0,
              keyframes: [
                {
                  id: 'k0',
                  frame: 0,
                  points: p.characters[0]!.referencePose,
                  easing: { kind: 'linear' },
                },
              ],
            },
          ],
        },
      ];
      p.render.trackId = 'still';
    });
    const out = join(root, 'photo-png');
    const r = await runCliCaptured(['render', dir, '-o', out]);
    expect(r.code, r.err).toBe(0);
    const { data, info } = await firstPng(out);
    // The picture's own size (the project was made for MP4: one column less), no letterbox.
    expect([info.width, info.height]).toEqual([152, 192]);
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0); // top-left corner: the fence, now transparent
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 200) opaque++;
    // The batter is opaque (~15% of the photo), the fence and grass transparent.
    expect(opaque / (info.width * info.height)).toBeGreaterThan(0.05);
    expect(opaque / (info.width * info.height)).toBeLessThan(0.5);
  });
});
