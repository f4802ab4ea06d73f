import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { placePicture, pictureToCanvas } from '#shared/geometry/pictureCanvas';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The whole path a new user walks, in Debian's Chromium against `pose-studio serve`, with a
 * screenshot at each step (docs/screens/path-*.png): open the sample → replace the picture by a
 * real photo → detect its pose → fix the mask → pick a motion → preview → render → open the
 * result, which must be a real video of the frames asked for.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 120_000, interval: 200 };
const PHOTOS = resolve(repoRoot, '../shared/fixtures/photos');
/** The first photo of the fixtures (any full-body photo of a person will do). */
const PHOTO = join(
  PHOTOS,
  readdirSync(PHOTOS)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()[0]!,
);
const FRAMES = 24;
let project = '';

beforeAll(async () => {
  studio = await openStudio('path', { width: 1280, height: 860 });
  page = studio.page;
}, 180_000);
afterAll(() => studio?.close());

const shot = (name: string) => page.screenshot({ path: screenshotPath(`path-${name}`) });
const saved = () => JSON.parse(readFileSync(join(project, 'project.json'), 'utf8'));

describe('from the sample to a finished video, in the studio', { timeout: 600_000 }, () => {
  it('1. opens a copy of the sample', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    project = join(studio.work, 'my first animation');
    await page.getByTestId('sample-folder').fill(project);
    await page.getByTestId('open-sample').click();
    await expect
      .poll(() => page.getByTestId('next-step').textContent(), SLOW)
      .toBe('Ready to render.');
    expect(existsSync(join(project, 'project.json'))).toBe(true);
    await shot('1-sample');
  });

  it('2. replaces the picture by a photo', async () => {
    await page.getByTestId('step-picture').click();
    await page.getByTestId('character-picture').waitFor();
    await page.locator('input[type=file]').setInputFiles(PHOTO);
    const img = page.getByTestId('character-picture');
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).src), SLOW)
      .not.toMatch(/sprout\.png/);
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth > 0), SLOW)
      .toBe(true);
    expect(saved().characters[0].picture).not.toBe('assets/sprout.png');
    await shot('2-photo');
  });

  it('3. detects the pose of the person in it', async () => {
    await page.getByTestId('detect-pose').click();
    await page.getByTestId('detect-result').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('detect-result').textContent()).toMatch(/^Detected/);
    await expect
      .poll(() => page.getByTestId('step-pose').getAttribute('data-done'), SLOW)
      .toBe('true');
    await shot('3-pose');
  });

  // ── 4. Fix the mask ─────────────────────────────────────────────────────────────────────────
  it('4. fixes the mask: Auto, one brush stroke, saved as the character’s mask', async () => {
    // The mask is checked on its own once the pose changed; on a photo it is the model's.
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/person-segmentation model/);
    await page.getByTestId('mask-auto').click();
    await expect.poll(() => page.getByTestId('mask-auto').isEnabled(), SLOW).toBe(true);
    // A stroke of the brush (B) across the feet, from past one ankle to past the other: it adds
    // the ground between them, wherever this photo's person stands (the detected pose says where).
    const pose: number[] = saved().characters[0].referencePose;
    const [rx, ry, lx, ly] = [pose[30]!, pose[31]!, pose[39]!, pose[40]!]; // OpenPose 10, 13
    const overlay = page.getByTestId('mask-overlay');
    const size = await overlay.evaluate((el) => [
      (el as HTMLCanvasElement).width,
      (el as HTMLCanvasElement).height,
    ]);
    const box = (await overlay.boundingBox())!;
    const onPage = (x: number, y: number) => ({
      x: box.x + (x / size[0]!) * box.width,
      y: box.y + (y / size[1]!) * box.height,
    });
    const a = onPage(rx - 0.3 * (lx - rx), ry);
    const b = onPage(lx + 0.3 * (lx - rx), ly);
    await page.keyboard.press('b');
    await expect.poll(() => overlay.getAttribute('data-tool')).toBe('add');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let t = 1; t <= 12; t++)
      await page.mouse.move(a.x + ((b.x - a.x) * t) / 12, a.y + ((b.y - a.y) * t) / 12);
    await page.mouse.up();
    await page.getByTestId('mask-unsaved').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('mask-save').click();
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/Your mask file/);
    expect(saved().characters[0].mask).toMatch(/^assets\/.*\.png$/);
    await shot('4-mask');
  });

  it('5. picks a motion (Wave), retargeted onto the photo’s person', async () => {
    await page.getByTestId('step-motion').click();
    await page.getByTestId('editor-workspace').waitFor({ timeout: 60_000 });
    await page.getByTestId('pick-motion').click();
    await page.getByTestId('motion-shipped/wave').click();
    await page.getByRole('dialog', { name: 'Pick a motion' }).waitFor({ state: 'hidden' });
    const first = () => {
      const p = saved();
      const t = p.tracks.find((x: { id: string }) => x.id === p.render.trackId);
      return {
        keys: t.people[0].keyframes.length,
        neck: t.people[0].keyframes[0].points.slice(3, 5),
      };
    };
    await expect.poll(() => first().keys, SLOW).toBe(81);
    // The motion starts on the character as the Editor shows it: its neck, placed on the canvas.
    const p = saved();
    const track = p.tracks.find((x: { id: string }) => x.id === p.render.trackId);
    const photo = await sharp(join(project, p.characters[0].picture)).metadata();
    const placement = placePicture(
      { width: photo.width!, height: photo.height! },
      { width: track.width, height: track.height },
    );
    const onCanvas = pictureToCanvas(Float64Array.from(p.characters[0].referencePose), placement);
    expect(first().neck[0]).toBeCloseTo(onCanvas[3]!, 3);
    expect(first().neck[1]).toBeCloseTo(onCanvas[4]!, 3);
    await shot('5-motion');
  });

  it('6. previews a transition with the fast generator', async () => {
    await page.getByTestId('preview-transition').click();
    const preview = page.getByTestId('transition-preview');
    await expect.poll(() => preview.getAttribute('data-state'), SLOW).toBe('ready');
    expect(Number(await preview.getAttribute('data-frame-count'))).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await shot('6-preview');
  });

  it('7. renders, and 8. opens the result: a video of the frames asked for', async () => {
    await page.getByTestId('step-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill(String(FRAMES));
    expect(await page.getByTestId('start-render').isDisabled()).toBe(false);
    await page.getByTestId('start-render').click();
    const done = page.locator('[data-testid=render-job][data-stage=done]').first();
    await done.waitFor({ timeout: 300_000 });
    await shot('7-rendered');

    const output = join(project, 'renders', `render-0-${FRAMES}.mp4`);
    expect(existsSync(output)).toBe(true);
    const probe = await probeVideo(resolveFfprobe(resolveFfmpeg()), output);
    expect(probe.frames).toBe(FRAMES);
    expect(probe.durationSeconds).toBeCloseTo(FRAMES / 24, 1);

    await done.getByTestId('job-play').click();
    const video = page.getByTestId('preview-video');
    await video.waitFor();
    await expect
      .poll(
        () => video.evaluate((v: HTMLVideoElement) => v.readyState >= 2 && v.videoWidth > 0),
        SLOW,
      )
      .toBe(true);
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), SLOW)
      .toBeGreaterThan(0.2);
    await shot('8-result');
    expect(studio.pageErrors).toEqual([]);
  });
});
