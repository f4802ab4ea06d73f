import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';
import { dragOver, drop, fileTransfer } from './dropHelpers';

/**
 * Drops land where they are dropped (issue 17), in Debian's Chromium against `pose-studio serve`
 * on a copy of the sample project: a real photo dropped on the Character view replaces Sprout's
 * picture (a drop zone shows while dragging; Undo puts Sprout back); a video or a text file there
 * is refused in words; a pose file dropped on the Editor opens its import; a file dropped on the
 * navigation rail is ignored and never replaces the studio.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 100 };
const FIXTURES = resolve(repoRoot, '../shared/fixtures');
const PHOTO = join(FIXTURES, 'photos', 'coco_val2017_000000000785.jpg');
const POSE = join(FIXTURES, 'poses', 'openpose_editor_pose_hand_fixed.json');

beforeAll(async () => {
  studio = await openStudio('drop-targets', { width: 1280, height: 900 });
  page = studio.page;
});
afterAll(() => studio?.close());

const project = () =>
  JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
    characters: { picture: string; mask?: string }[];
  };

describe('drop targets', { timeout: 240_000 }, () => {
  it('opens the sample project on the Character view', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor({ timeout: 30_000 });
    expect(project().characters[0]).toMatchObject({
      picture: 'assets/sprout.png',
      mask: 'assets/sprout.mask.png',
    });
  });

  it('a photo dropped on the Character view replaces the picture; Undo puts Sprout back', async () => {
    const zone = page.locator('[data-drop-target="character"]');
    const dt = await fileTransfer(page, PHOTO, 'skier.jpg', 'image/jpeg');
    await dragOver(zone, dt);
    const overlay = page.getByTestId('drop-overlay-character');
    await overlay.waitFor();
    expect(await overlay.textContent()).toBe('Drop the picture to replace the character’s picture');
    await page.screenshot({ path: screenshotPath('drop-1-character-dragging') });
    expect(await drop(zone, dt)).toBe(true);
    await overlay.waitFor({ state: 'hidden' });
    await expect
      .poll(() => project().characters[0]!.picture, SLOW)
      .toMatch(/^assets\/skier.*\.jpg$/);
    expect(project().characters[0]!.mask).toBeUndefined();
    const note = page.getByTestId('picture-replaced');
    await note.waitFor();
    expect(await note.textContent()).toContain('Replaced the picture with skier.jpg');
    await expect
      .poll(() => page.getByTestId('character-picture').getAttribute('src'), SLOW)
      .toMatch(/skier/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('drop-2-character-replaced') });

    await page.getByTestId('undo-picture').click();
    await expect.poll(() => project().characters[0]!.picture, SLOW).toBe('assets/sprout.png');
    expect(project().characters[0]!.mask).toBe('assets/sprout.mask.png');
    await note.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('character-picture').getAttribute('src'), SLOW)
      .toMatch(/sprout\.png/);
  });

  it('a video or a text file on the Character view is refused in words; nothing changes', async () => {
    const before = readFileSync(join(studio.projectDir, 'project.json'), 'utf8');
    const zone = page.locator('[data-drop-target="character"]');
    const video = await fileTransfer(page, PHOTO, 'dance.mp4', 'video/mp4');
    expect(await drop(zone, video)).toBe(true);
    const refused = page.getByTestId('drop-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toBe(
      'dance.mp4 is a video: the Character view does not take it. Drop pose files and videos on the Editor.',
    );
    await page.screenshot({ path: screenshotPath('drop-3-character-refused') });
    const text = await fileTransfer(page, POSE, 'notes.txt', 'text/plain');
    expect(await drop(zone, text)).toBe(true);
    await expect
      .poll(() => refused.textContent(), SLOW)
      .toMatch(/^notes\.txt is not a picture, pose file or video: .*PNG, JPEG or WebP/);
    expect(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')).toBe(before);
  });

  it('a file dropped where nothing takes files is ignored: the studio stays, a line says where', async () => {
    const before = readFileSync(join(studio.projectDir, 'project.json'), 'utf8');
    const url = page.url();
    const rail = page.getByTestId('nav-editor');
    const dt = await fileTransfer(page, PHOTO, 'skier.jpg', 'image/jpeg');
    // Prevented: the browser would otherwise open the photo in place of the studio.
    expect(await drop(rail, dt)).toBe(true);
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), SLOW)
      .toEqual(expect.arrayContaining([expect.stringMatching(/skier\.jpg was not imported/)]));
    expect(page.url()).toBe(url);
    expect(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')).toBe(before);
  });

  it('a pose file dropped on the Editor opens its import; a picture there is refused', async () => {
    await page.getByTestId('nav-editor').click();
    const zone = page.locator('[data-drop-target="motion"]');
    await zone.waitFor({ timeout: 30_000 });
    const pose = await fileTransfer(page, POSE, 'hand.json', 'application/json');
    await dragOver(zone, pose);
    const overlay = page.getByTestId('drop-overlay-motion');
    await overlay.waitFor();
    expect(await overlay.textContent()).toBe('Drop a pose file or a video to import its motion');
    await page.screenshot({ path: screenshotPath('drop-4-editor-dragging') });
    expect(await drop(zone, pose)).toBe(true);
    const dialog = page.getByRole('dialog', { name: 'Import hand.json' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    const picture = await fileTransfer(page, PHOTO, 'skier.jpg', 'image/jpeg');
    expect(await drop(zone, picture)).toBe(true);
    await expect
      .poll(() => page.getByTestId('drop-refused').textContent(), SLOW)
      .toBe(
        'skier.jpg is a picture: the Editor does not take it. Drop pictures on the Character view.',
      );
    expect(studio.pageErrors).toEqual([]);
  });
});
