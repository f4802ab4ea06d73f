import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The mask editor as a new user meets it, in Chromium against `pose-studio serve`: a photo from
 * ../shared/fixtures/photos replaces the sample's picture, Detect pose finds the skier, the mask
 * is checked on its own (its source and warnings in the Character view), Auto gives the
 * segmentation model's mask, the brush paints a correction (the ski pole in the skier's right
 * hand, which the model leaves out, so it moves with the hand), undo and redo step through it,
 * Save writes a new mask file (the photo untouched) that the puppet then uses, and a render of
 * the corrected character finishes and plays.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 120_000, interval: 250 };
const SKIER = join(repoRoot, '../shared/fixtures/photos/coco_val2017_000000000785.jpg');
/** The pole below the skier's right hand, in picture pixels (640×425), found by looking. */
const POLE = { from: { x: 297, y: 190 }, to: { x: 324, y: 305 } };
const POLE_MIDDLE = { x: 311, y: 250 };

beforeAll(async () => {
  studio = await openStudio('maskedit', { width: 1400, height: 1000 });
  page = studio.page;
}, 180_000);
afterAll(() => studio?.close());

const project = () =>
  JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
    characters: { picture: string; mask?: string }[];
  };

/** The overlay's alpha at a picture pixel: 0 where the character is, the veil elsewhere. */
const overlayAlpha = (p: { x: number; y: number }) =>
  page.getByTestId('mask-overlay').evaluate((el, q) => {
    const c = el as HTMLCanvasElement;
    return c.getContext('2d')!.getImageData(q.x, q.y, 1, 1).data[3]!;
  }, p);

/** A picture pixel → page coordinates over the overlay. */
async function onPage(p: { x: number; y: number }) {
  const box = (await page.getByTestId('mask-overlay').boundingBox())!;
  return { x: box.x + (p.x / 640) * box.width, y: box.y + (p.y / 425) * box.height };
}

describe('the mask editor', { timeout: 420_000 }, () => {
  it('Auto on a photo, a painted correction, saved as a new file, rendered', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();

    await page.locator('input[type=file]').setInputFiles(SKIER);
    await expect
      .poll(
        () =>
          page
            .getByTestId('character-picture')
            .evaluate((el) => (el as HTMLImageElement).naturalWidth),
        SLOW,
      )
      .toBe(640);
    const picture = project().characters[0]!.picture;
    const pictureBytes = readFileSync(join(studio.projectDir, picture));
    await page.getByTestId('detect-pose').click();
    await page.getByTestId('detect-result').waitFor({ timeout: 120_000 });

    // Checked on its own after the pose changed: source and warnings, no button pressed.
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/person-segmentation model/);
    await page.getByTestId('mask-overlay').waitFor();

    // Auto: the model's mask; the pole is not part of it.
    await page.getByTestId('mask-auto').click();
    await expect.poll(() => page.getByTestId('mask-auto').isEnabled(), SLOW).toBe(true);
    expect(await overlayAlpha(POLE_MIDDLE)).toBeGreaterThan(100);
    await page.screenshot({ path: screenshotPath('mask-01-auto') });

    // The brush (B), a smaller size (the [ key), one stroke along the pole.
    await page.keyboard.press('b');
    await expect.poll(() => page.getByTestId('mask-overlay').getAttribute('data-tool')).toBe('add');
    const sizeText = () => page.getByText(/^Brush \d+ px$/).textContent();
    const before = Number((await sizeText())!.match(/\d+/)![0]);
    for (let i = 0; i < 6; i++) await page.keyboard.press('[');
    const radius = Number((await sizeText())!.match(/\d+/)![0]);
    expect(radius).toBeLessThan(before);
    const a = await onPage(POLE.from);
    const b = await onPage(POLE.to);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let t = 1; t <= 12; t++)
      await page.mouse.move(a.x + ((b.x - a.x) * t) / 12, a.y + ((b.y - a.y) * t) / 12);
    await page.mouse.up();
    expect(await overlayAlpha(POLE_MIDDLE)).toBe(0);
    await page.getByTestId('mask-unsaved').waitFor();
    await page.screenshot({ path: screenshotPath('mask-02-painted') });

    // Undo takes the stroke back (Ctrl+Z with the brush chosen), redo puts it again.
    await page.keyboard.press('Control+z');
    expect(await overlayAlpha(POLE_MIDDLE)).toBeGreaterThan(100);
    await page.getByTestId('mask-redo').click();
    expect(await overlayAlpha(POLE_MIDDLE)).toBe(0);

    // Save: a new file in assets/, the character's mask; the photo is untouched.
    await page.keyboard.press('Escape');
    await page.getByTestId('mask-save').click();
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/Your mask file/);
    const maskFile = project().characters[0]!.mask!;
    expect(maskFile).toMatch(/^assets\/coco_val2017_000000000785[-.]mask.*\.png$/);
    expect(maskFile).not.toBe(picture);
    expect(readFileSync(join(studio.projectDir, picture)).equals(pictureBytes)).toBe(true);
    const saved = await sharp(join(studio.projectDir, maskFile))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([saved.info.width, saved.info.height]).toEqual([640, 425]);
    expect(saved.data[POLE_MIDDLE.y * 640 + POLE_MIDDLE.x]).toBe(255);
    expect(await page.getByTestId('mask-unsaved').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('mask-03-saved') });

    // Render with the corrected mask: it finishes, and the result plays.
    await page.getByTestId('nav-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill('24');
    await page.getByTestId('start-render').click();
    const done = page.locator('[data-testid=render-job][data-stage=done]').first();
    await done.waitFor({ timeout: 240_000 });
    expect(existsSync(join(studio.projectDir, 'renders', 'render-0-24.mp4'))).toBe(true);
    await done.getByTestId('job-play').click();
    const video = page.getByTestId('preview-video');
    await video.waitFor();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
      .toBeGreaterThan(0.3);
    await video.evaluate((v: HTMLVideoElement) => {
      v.pause();
      v.currentTime = 0.5;
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('mask-04-rendered') });
    expect(studio.pageErrors).toEqual([]);
  });
});
