import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePersonVideo, twoPeopleVideo } from '#test/helpers/video/drivingVideos';
import { openStudio, screenshotPath, type StudioSession } from './harness';
import { drop, fileTransfer } from './dropHelpers';

/**
 * Video import in the studio's Editor (issue 17), in Debian's Chromium against `pose-studio
 * serve` on a copy of the sample project. A video made from the real fixture photos (a skier and
 * a baseball player side by side, with a tone as sound) is dropped on the Editor: progress in
 * frames with an ETA, then the two people to choose from on a still; the skier's motion,
 * retargeted onto Sprout at 24 fps, replaces the 97 keyframes after saying so; the sound becomes
 * the render's audio; Ctrl+Z brings the keyframes back. A longer video picked with the button is
 * cancelled midway and the project is left as it was.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 120_000, interval: 100 };

beforeAll(async () => {
  studio = await openStudio('video-import', { width: 1280, height: 900 });
  page = studio.page;
});
afterAll(() => studio?.close());

const projectText = () => readFileSync(join(studio.projectDir, 'project.json'), 'utf8');
function savedTrack(): { fps: number; people: { keyframes: { frame: number }[] }[] } {
  const p = JSON.parse(projectText());
  return p.tracks.find((t: { id: string }) => t.id === p.render.trackId);
}
const keyframesOf = (t: ReturnType<typeof savedTrack>) =>
  t.people.reduce((n, l) => n + l.keyframes.length, 0);

describe('video import in the Editor', { timeout: 400_000 }, () => {
  it('opens the sample project in the Editor', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });
    expect(keyframesOf(savedTrack())).toBe(97);
    expect(JSON.parse(projectText()).output.audio).toBeUndefined();
  });

  it('a dropped video: progress, the person to choose, ask before replacing, keep the sound, undo', async () => {
    const video = await twoPeopleVideo(studio.work, { seconds: 2, fps: 6, name: 'duo.mp4' });
    const before = projectText();
    const dt = await fileTransfer(page, video, 'duo.mp4', 'video/mp4');
    expect(await drop(page.locator('[data-drop-target="motion"]'), dt)).toBe(true);
    const dialog = page.getByTestId('video-import-dialog');
    await dialog.waitFor();
    // Progress in frames, with the time left once a few frames are timed.
    const progress = page.getByTestId('video-progress');
    await expect
      .poll(() => progress.textContent(), SLOW)
      .toMatch(/^Posing frame ([4-9]|1[0-2]) of 12 · about \d+ s left$/);
    await page.waitForTimeout(450); // the bar's own 0.4 s transition
    await page.getByRole('dialog').screenshot({ path: screenshotPath('video-1-extracting') });
    expect(projectText()).toBe(before); // nothing reaches the project while it runs

    const choosing = page.getByTestId('video-choosing');
    await choosing.waitFor({ timeout: 120_000 });
    expect(await choosing.textContent()).toMatch(/^2 people found: choose whose motion to use\./);
    expect(await page.getByTestId('person-1').textContent()).toMatch(/^Person 1 · (left|right) ·/);
    // Nobody is chosen for the user; the still shows a box per person.
    expect(await page.getByTestId('video-apply').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid^="person-box-"]').count()).toBe(2);
    // The skier (left) is in every frame; the player (right) only once the extractor's
    // re-detection finds them. Choose the skier by clicking her box on the still.
    const left = (await page.getByTestId('person-1').textContent())!.includes('left')
      ? 'person-box-1'
      : 'person-box-2';
    await page.getByTestId(left).click();
    const motion = page.getByTestId('video-motion');
    await motion.waitFor({ timeout: 60_000 });
    expect(await motion.textContent()).toMatch(
      /^\d+ keyframes? from 12 frames \(worst playback error \d\.\d\d px\), retargeted onto the character, at 24 frames a second\.$/,
    );
    expect(await page.getByTestId('video-replace-warning').textContent()).toBe(
      'The track has 97 keyframes. Importing replaces them (Undo in the Editor brings them back).',
    );
    expect(await page.getByTestId('video-apply').textContent()).toBe('Replace the 97 keyframes');
    expect(await page.getByTestId('video-keep-sound').locator('input').isChecked()).toBe(true);
    await page.waitForTimeout(300);
    await page.getByRole('dialog').screenshot({ path: screenshotPath('video-2-choose-person') });

    await page.getByTestId('video-apply').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => keyframesOf(savedTrack()), SLOW).not.toBe(97);
    const saved = savedTrack();
    expect(saved.fps).toBe(24);
    const frames = saved.people.flatMap((p) => p.keyframes.map((k) => k.frame));
    expect(Math.min(...frames)).toBe(0);
    expect(Math.max(...frames)).toBeLessThanOrEqual(44); // 2 s of video at 24 fps
    const audio = JSON.parse(projectText()).output.audio as string;
    expect(audio).toMatch(/^assets\/duo.*\.mka$/);
    expect(readFileSync(join(studio.projectDir, audio)).length).toBeGreaterThan(1000);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('video-3-imported') });

    await page.keyboard.press('Control+z');
    await expect.poll(() => keyframesOf(savedTrack()), SLOW).toBe(97);
  });

  it('Cancel midway stops the import and leaves the project as it was', async () => {
    await page.waitForTimeout(2500); // past the autosave's quiet time
    const before = projectText();
    const long = await onePersonVideo(studio.work, 240);
    await page.getByTestId('video-file-input').setInputFiles(long);
    const progress = page.getByTestId('video-progress');
    await expect.poll(() => progress.textContent(), SLOW).toMatch(/^Posing frame [1-9]\d* of 240/);
    await page.getByTestId('video-cancel').click();
    await page.getByTestId('video-cancelled').waitFor();
    expect(await page.getByTestId('video-cancelled').textContent()).toBe(
      'Import cancelled: the project was not changed.',
    );
    await page.getByRole('dialog').screenshot({ path: screenshotPath('video-4-cancelled') });
    await page.getByTestId('video-close').click();
    await page.waitForTimeout(2500);
    expect(projectText()).toBe(before);
    expect(studio.pageErrors).toEqual([]);
  });
});
