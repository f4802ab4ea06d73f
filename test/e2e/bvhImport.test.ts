import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterReferenceFrame, type Character } from '#shared/api/index';
import { importPoseFile } from '#shared/editor/poseFiles';
import { POINT_NAMES } from '#shared/pose/skeleton';
import type { BvhCamera } from '#shared/pose/bvh/camera';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * Motion-capture import in the studio's Editor, in Debian's Chromium against `pose-studio serve`
 * on a copy of the sample project: a real BVH clip (AnimatedDrawings' wave_hello, FAIR rig) is
 * picked; the dialog shows the skeleton and timing and a looping preview; the camera goes to side
 * and back; Enter imports at the project's 24 fps, retargeted onto Sprout; Ctrl+Z takes it back.
 * Escape cancels; a truncated clip shows its error with the line number.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 100 };
const CLIP = resolve(repoRoot, '../shared/fixtures/bvh/wave_hello.bvh');
const clipText = readFileSync(CLIP, 'utf8');

beforeAll(async () => {
  studio = await openStudio('bvh-import', { width: 1280, height: 900 });
  page = studio.page;
});

afterAll(() => studio?.close());

/** The render track (dance) as saved in the project copy. */
function savedTrack(): { fps: number; people: { keyframes: { frame: number }[] }[] } {
  const p = JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8'));
  return p.tracks.find((t: { id: string }) => t.id === p.render.trackId);
}
const keyframesOf = (t: ReturnType<typeof savedTrack>) =>
  t.people.reduce((n, l) => n + l.keyframes.length, 0);

/** What the studio must compute: the sample character as `character.get` gives it, 24 fps. */
function expected(camera: BvhCamera) {
  const p = JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8'));
  const pose: number[] = p.characters[0].referencePose;
  const joints: Character['joints'] = [];
  for (let i = 0; i < pose.length / 3; i++)
    if (pose[3 * i + 2]! > 0)
      joints.push({
        index: i,
        name: POINT_NAMES[i]!,
        x: pose[3 * i]!,
        y: pose[3 * i + 1]!,
        confidence: pose[3 * i + 2]!,
      });
  const character = characterReferenceFrame({
    name: 'Sprout',
    picture: 'assets/sprout.png',
    pictureWidth: 512,
    pictureHeight: 512,
    mask: null,
    joints,
  })!;
  return importPoseFile(clipText, {
    fileName: 'wave_hello.bvh',
    tolerance: 2,
    bvh: { fps: p.output.fps, camera, projection: 'ortho', character },
  });
}

const summaryText = (r: ReturnType<typeof expected>) =>
  `${r.keyframes} keyframes from ${r.frames} frames; worst playback error ${r.maxError.toFixed(2)} px (tolerance 2 px)`;

/** The accessible name of the focused element (its label's text, or its own). */
const focusedName = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const label =
      el.getAttribute('aria-label') ??
      (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
      el.closest('label')?.textContent ??
      el.textContent;
    return `${el.tagName.toLowerCase()}:${(label ?? '').trim()}`;
  });

describe('BVH import in the Editor', { timeout: 240_000 }, () => {
  it('opens the sample project in the Editor', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });
    expect(keyframesOf(savedTrack())).toBe(97);
  });

  it('shows the clip, a looping preview, and the choices; side and back; Enter imports; Ctrl+Z undoes', async () => {
    const front = expected('front');
    const side = expected('side');
    expect(front.frames).toBe(168); // 839 frames × 0.008342 s = 7.0 s at 24 fps

    await page.locator('#pose-file-input').setInputFiles(CLIP);
    const dialog = page.getByRole('dialog', { name: 'Import motion capture wave_hello.bvh' });
    await dialog.waitFor();
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), SLOW).toBe(summaryText(front));
    expect(await page.getByTestId('import-read').textContent()).toBe(
      'AnimatedDrawings (FAIR) skeleton, 27 joints · 839 frames at 119.88 fps, 7.00 s → 168 poses at 24 fps · canvas 512×512',
    );
    expect(await dialog.textContent()).toContain("Retargeted to the character's proportions");
    // The preview plays: its frame moves on by itself.
    const preview = page.getByTestId('bvh-preview');
    const frame0 = Number(await preview.getAttribute('data-frame'));
    await expect
      .poll(async () => Number(await preview.getAttribute('data-frame')), SLOW)
      .not.toBe(frame0);
    expect(await preview.locator('canvas').count()).toBeGreaterThan(0);
    await page.waitForTimeout(400);
    await dialog.screenshot({ path: screenshotPath('bvh-import-1-front') });

    // Keyboard: the checked camera radio is reachable with Tab; arrows change the camera.
    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      names.push(await focusedName());
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'input:Front',
        'input:Orthographic',
        expect.stringMatching(/^input:Keep in place/),
        'input:tolerance',
        'button:Cancel',
        'button:Replace the track',
      ]),
    );
    await page.getByRole('radio', { name: 'Front' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Side' }).isChecked()).toBe(true);
    await expect.poll(() => summary.textContent(), SLOW).toBe(summaryText(side));
    await page.waitForTimeout(400);
    await dialog.screenshot({ path: screenshotPath('bvh-import-2-side') });
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: 'Front' }).isChecked()).toBe(true);
    // Enter straight away: the import waits for the front result, never takes the side one.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => keyframesOf(savedTrack()), SLOW).toBe(front.keyframes);
    const saved = savedTrack();
    expect(saved.fps).toBe(24);
    const frames = saved.people.flatMap((l) => l.keyframes.map((k) => k.frame));
    expect([Math.min(...frames), Math.max(...frames)]).toEqual([0, front.frames - 1]);
    await page.screenshot({ path: screenshotPath('bvh-import-3-imported') });

    await page.keyboard.press('Control+z');
    await expect.poll(() => keyframesOf(savedTrack()), SLOW).toBe(97);
  });

  it('Escape cancels and leaves the project as it was; Space presses the focused button, not Play', async () => {
    const before = readFileSync(join(studio.projectDir, 'project.json'), 'utf8');
    await page.locator('#pose-file-input').setInputFiles(CLIP);
    const dialog = page.getByRole('dialog');
    await page.getByTestId('import-summary').waitFor();
    await page.getByRole('radio', { name: 'Side' }).focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.locator('#pose-file-input').setInputFiles(CLIP);
    await page.getByTestId('import-summary').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Space');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('button', { name: 'play', exact: true }).count()).toBe(1);
    await page.waitForTimeout(2500); // past the autosave's quiet time
    expect(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')).toBe(before);
  });

  it('a truncated clip shows the error with its line number, and nothing can be imported', async () => {
    const cut = join(studio.work, 'cut.bvh');
    writeFileSync(cut, clipText.slice(0, Math.floor(clipText.length / 3)));
    await page.locator('#pose-file-input').setInputFiles(cut);
    const error = page.getByTestId('import-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^cut\.bvh: line \d+: /);
    expect(await page.getByRole('button', { name: 'Replace the track' }).isDisabled()).toBe(true);
    await page.getByRole('dialog').screenshot({ path: screenshotPath('bvh-import-4-error') });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(studio.pageErrors).toEqual([]);
  });
});
