import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, screenshotPath, type StudioSession } from './harness';

/**
 * The guided order as a new user meets it, in Debian's Chromium against `pose-studio serve`:
 * Create lands on the Picture step (not on Render with a button that fails); the steps bar and
 * the Render button say what is missing and how to fix it; "Open sample" copies Sprout into a new
 * folder and never over anything; the motion picker shows looping thumbnails and a picked motion
 * is retargeted onto the character, undone with Ctrl+Z.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 100 };
let sampleCopy = '';

beforeAll(async () => {
  studio = await openStudio('guided', { width: 1280, height: 860 });
  page = studio.page;
}, 180_000);
afterAll(() => studio?.close());

const projectJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8'));
const keysOfRenderTrack = (dir: string) => {
  const p = projectJson(dir);
  const t = p.tracks.find((x: { id: string }) => x.id === p.render.trackId) ?? p.tracks[0];
  return t
    ? t.people.reduce((n: number, l: { keyframes: unknown[] }) => n + l.keyframes.length, 0)
    : 0;
};

describe('the guided order Picture → Pose → Motion → Render', { timeout: 300_000 }, () => {
  it('Create lands on the Picture step; Render is off and says what to do', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    const folder = join(studio.work, 'fresh');
    await page.getByTestId('new-folder').fill(folder);
    await page.getByTestId('create-project').click();
    await page.getByTestId('steps-bar').waitFor({ timeout: 30_000 });
    // The Character view, not Render.
    expect(await page.getByTestId('nav-character').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('step-picture').getAttribute('aria-current')).toBe('step');
    expect(await page.getByTestId('step-render').isDisabled()).toBe(true);
    expect(await page.getByTestId('step-pose').isDisabled()).toBe(true);
    expect(await page.getByTestId('next-step').textContent()).toMatch(/^Next: Add a picture first/);
    expect(await page.getByTestId('nav-character-badge').getAttribute('data-state')).toBe('to do');
    await page.screenshot({ path: screenshotPath('guided-1-created') });

    // On Render the button is off, says why and leads to the fix.
    await page.getByTestId('nav-render').click();
    await page.getByTestId('start-render').waitFor();
    expect(await page.getByTestId('start-render').isDisabled()).toBe(true);
    const why = await page.getByTestId('render-blocked').textContent();
    expect(why).toMatch(/^Add a picture first/);
    expect(why).not.toMatch(/project\.json/);
    await page.screenshot({ path: screenshotPath('guided-2-render-blocked') });
    await page.getByTestId('render-blocked-go').click();
    expect(await page.getByTestId('nav-character').getAttribute('aria-current')).toBe('page');
  });

  it('Open sample copies Sprout into a new folder, opens it, and refuses a folder in use', async () => {
    await page.getByTestId('nav-projects').click();
    const busy = join(studio.work, 'my film');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await page.getByTestId('sample-folder').fill(busy);
    await page.getByTestId('open-sample').click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), SLOW)
      .toContainEqual(expect.stringMatching(/already exists and is not empty/));
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    await page.screenshot({ path: screenshotPath('guided-3-sample-refused') });
    for (const b of await page.getByRole('alert').getByRole('button').all()) await b.click();

    const copy = join(studio.work, 'Sprout copy');
    await page.getByTestId('sample-folder').fill(copy);
    await page.getByTestId('open-sample').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    expect(existsSync(join(copy, 'project.json'))).toBe(true);
    expect(await page.getByTestId('project-title').textContent()).toMatch(/^Sprout/);
    // Everything is there: every step is done and the Render button is on.
    await expect
      .poll(() => page.getByTestId('next-step').textContent(), SLOW)
      .toBe('Ready to render.');
    expect(await page.getByTestId('start-render').isDisabled()).toBe(false);
    expect(await page.getByTestId('render-blocked').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('guided-4-sample-open') });
    sampleCopy = copy;
  });

  it('the motion picker loops each motion; picking Wave retargets it; Ctrl+Z takes it back', async () => {
    const dir = sampleCopy;
    expect(keysOfRenderTrack(dir)).toBe(97); // the dance
    await page.getByTestId('step-motion').click();
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });
    await page.getByTestId('pick-motion').click();
    const dialog = page.getByRole('dialog', { name: 'Pick a motion' });
    await dialog.waitFor();
    for (const id of ['wave', 'walk', 'jump', 'dance'])
      await page.getByTestId(`motion-shipped/${id}`).waitFor();
    expect(await page.getByTestId('motion-project/dance').textContent()).toMatch(/in use/);
    // The thumbnails play by themselves.
    const thumb = page.getByTestId('motion-shipped/wave').getByTestId('motion-thumbnail');
    const f0 = await thumb.getAttribute('data-frame');
    await expect.poll(() => thumb.getAttribute('data-frame'), SLOW).not.toBe(f0);
    await page.waitForTimeout(300);
    await dialog.screenshot({ path: screenshotPath('guided-5-motion-picker') });

    await page.getByTestId('motion-shipped/wave').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => keysOfRenderTrack(dir), SLOW).toBe(81);
    // Retargeted onto Sprout: the first key's neck is the character's neck.
    const p = projectJson(dir);
    const track = p.tracks.find((t: { id: string }) => t.id === p.render.trackId);
    const neck = track.people[0].keyframes[0].points.slice(3, 5);
    const charNeck = p.characters[0].referencePose.slice(3, 5);
    expect(neck[0]).toBeCloseTo(charNeck[0], 3);
    expect(neck[1]).toBeCloseTo(charNeck[1], 3);
    await page.screenshot({ path: screenshotPath('guided-6-wave-picked') });

    await page.keyboard.press('Control+z');
    await expect.poll(() => keysOfRenderTrack(dir), SLOW).toBe(97);
  });

  it('with prefers-reduced-motion the thumbnails hold still', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.getByTestId('pick-motion').click();
    const thumb = page.getByTestId('motion-shipped/walk').getByTestId('motion-thumbnail');
    await thumb.waitFor();
    expect(await thumb.getAttribute('data-playing')).toBe('false');
    const f0 = await thumb.getAttribute('data-frame');
    await page.waitForTimeout(600);
    expect(await thumb.getAttribute('data-frame')).toBe(f0);
    await page.keyboard.press('Escape');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(studio.pageErrors).toEqual([]);
  });
});
