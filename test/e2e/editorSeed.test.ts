import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placePicture } from '#shared/geometry/pictureCanvas';
import { Joint } from '#shared/pose/skeleton';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * Issue 17's dead ends between the Character view and the Editor, as a new user meets them, in
 * Debian's Chromium against `pose-studio serve` on a copy of the sample project whose motion was
 * removed: an empty track says what to do and K keys the character's pose; "Detect pose" on a
 * real photo (SPIN, 153×192: not the canvas's shape) seeds the track, and the Editor shows the
 * photo placed as the render places it with the skeleton on it; Ctrl+Z walks one history across
 * the views (an Editor key edit, then the detection, then the picture replacement).
 */
const SPIN = resolve(repoRoot, '../shared/fixtures/photos/spin_im1010.jpg');
const SPIN_POSE = resolve(repoRoot, '../shared/fixtures/poses/spin_im1010_openpose.json');
const SLOW = { timeout: 60_000, interval: 200 };
let studio: StudioSession;
let page: Page;

interface Saved {
  characters: { picture: string; referencePose: number[] }[];
  tracks: { people: { keyframes: { frame: number; points: number[] }[] }[] }[];
}
const saved = (): Saved =>
  JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as Saved;
const keyFrames = () => saved().tracks.flatMap((t) => t.people.flatMap((p) => p.keyframes));

beforeAll(async () => {
  studio = await openStudio('seed', { width: 1280, height: 900 });
  page = studio.page;
  // The sample without its motions: what a new project with a picture looks like.
  const file = join(studio.projectDir, 'project.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  delete doc.render!.trackId;
  writeFileSync(file, JSON.stringify({ ...doc, tracks: [] }));
}, 180_000);

afterAll(() => studio?.close());

/** Canvas position of a drawn joint of person 0 (stage coordinates = canvas pixels). */
const jointAt = (index: number) =>
  page.evaluate((i) => {
    const node = window.__poseEditor?.scene.jointNode(0, i);
    return node ? { x: node.x(), y: node.y() } : null;
  }, index);

async function settle() {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

describe('from the Character view to the Editor', { timeout: 300_000 }, () => {
  it('an empty track says what to do, and K keys the character’s pose', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    // The project has no keys: once loaded, the studio moves on to its Motion step (the Editor)
    // by itself, unless the user went elsewhere first. Either way the Editor is where we go.
    await expect
      .poll(() => page.getByTestId('project-title').textContent(), SLOW)
      .toMatch(/ fps, /);
    await page.getByTestId('nav-editor').click();
    const hint = page.getByTestId('empty-track');
    await hint.waitFor(SLOW);
    expect(await hint.textContent()).toMatch(/Detect pose.*import a motion.*press K/);
    await page.screenshot({ path: screenshotPath('seed-1-empty-track') });

    await page.keyboard.press('k');
    await hint.waitFor({ state: 'detached' });
    // The key is Sprout's reference pose, on the canvas where the picture is (512² on 512²).
    await expect.poll(() => keyFrames().length, SLOW).toBe(1);
    const sprout = saved().characters[0]!.referencePose;
    expect(keyFrames()[0]!.points.slice(0, 54)).toEqual(sprout.slice(0, 54));
    await page.keyboard.press('Control+z');
    await hint.waitFor();
    await expect.poll(() => keyFrames().length, SLOW).toBe(0);
  });

  it('Detect pose on a photo seeds the track, and the Editor shows photo and skeleton aligned', async () => {
    await page.getByTestId('nav-character').click();
    const img = page.getByTestId('character-picture');
    await img.waitFor();
    await page.locator('input[type=file]').setInputFiles(SPIN);
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), SLOW)
      .toBe(153)
      .catch(async (e: unknown) => {
        await page.screenshot({ path: screenshotPath('seed-debug') });
        throw new Error(`${String(e)}; page errors: ${studio.pageErrors.join(' | ')}`);
      });
    await page.getByTestId('detect-pose').click();
    await page.getByTestId('detect-result').waitFor({ timeout: 120_000 });
    // Seeded in the same step and saved from the Character view: one key at frame 0.
    await expect.poll(() => keyFrames().map((k) => k.frame), SLOW).toEqual([0]);
    const detected = saved().characters[0]!.referencePose;
    const at = placePicture({ width: 153, height: 192 }, { width: 512, height: 512 })!;
    const key = keyFrames()[0]!.points;
    for (const j of [Joint.neck, Joint.rWrist, Joint.lAnkle]) {
      expect(detected[j * 3 + 2]).toBeGreaterThan(0);
      expect(key[j * 3]).toBeCloseTo(at.x + detected[j * 3]! * at.scale, 6);
      expect(key[j * 3 + 1]).toBeCloseTo(at.y + detected[j * 3 + 1]! * at.scale, 6);
    }

    await page.getByTestId('nav-editor').click();
    await page.locator('[data-testid=editor-view] canvas').first().waitFor();
    expect(await page.getByTestId('empty-track').count()).toBe(0);
    // The photo keeps its shape on the canvas: placed exactly as the render places it.
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const n = window.__poseEditor?.stage.findOne('.picture');
            return n ? [n.x(), n.y(), n.width(), n.height()] : null;
          }),
        SLOW,
      )
      .toEqual([at.x, at.y, at.width, at.height]);
    // And the skeleton's joints sit on the photo where the detection found them.
    await settle();
    for (const j of [Joint.neck, Joint.rWrist, Joint.lAnkle]) {
      const p = (await jointAt(j))!;
      expect(p.x).toBeCloseTo(at.x + detected[j * 3]! * at.scale, 3);
      expect(p.y).toBeCloseTo(at.y + detected[j * 3 + 1]! * at.scale, 3);
    }
    await page.screenshot({ path: screenshotPath('seed-2-detected-pose-in-editor') });
  });

  it('Ctrl+Z undoes an Editor key edit, then the detection, then the picture, across views', async () => {
    const detected = saved().characters[0]!.referencePose;
    // Drag a joint that nothing covers on the stage: an edit of the key at frame 0.
    await settle();
    const target = await page.evaluate(
      (candidates) => {
        const h = window.__poseEditor!;
        const box = h.stage.container().getBoundingClientRect();
        for (const i of candidates) {
          const node = h.scene.jointNode(0, i);
          if (!node) continue;
          const p = node.getAbsolutePosition();
          if (h.stage.getIntersection(p) === node)
            return { index: i, x: box.left + p.x, y: box.top + p.y };
        }
        return null;
      },
      [Joint.lAnkle, Joint.rAnkle, Joint.lKnee, Joint.rKnee],
    );
    expect(target).not.toBeNull();
    const { index, x, y } = target!;
    const start = (await jointAt(index))!;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let s = 1; s <= 10; s++) await page.mouse.move(x + 4 * s, y - 3 * s);
    await page.mouse.up();
    await settle();
    const moved = (await jointAt(index))!;
    expect(Math.hypot(moved.x - start.x, moved.y - start.y)).toBeGreaterThan(20);
    await expect.poll(() => keyFrames()[0]!.points[index * 3], SLOW).toBeCloseTo(moved.x, 3);

    await page.keyboard.press('Control+z'); // the key edit
    await settle();
    const back = (await jointAt(index))!;
    expect(back.x).toBeCloseTo(start.x, 6);
    expect(back.y).toBeCloseTo(start.y, 6);
    expect(saved().characters[0]!.referencePose).toEqual(detected);

    await page.keyboard.press('Control+z'); // the detection (and the key it seeded)
    await page.getByTestId('empty-track').waitFor(SLOW);
    await expect.poll(() => saved().characters[0]!.referencePose, SLOW).not.toEqual(detected);
    expect(saved().characters[0]!.picture).toMatch(/spin_im1010/);
    await expect.poll(() => keyFrames().length, SLOW).toBe(0);

    // The Character view walks the same history: Ctrl+Z there puts Sprout's picture back.
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();
    await page.keyboard.press('Control+z');
    await expect.poll(() => saved().characters[0]!.picture, SLOW).toBe('assets/sprout.png');
    const img = page.getByTestId('character-picture');
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), SLOW)
      .toBe(512);
    await page.screenshot({ path: screenshotPath('seed-3-undo-in-character-view') });
    // …and Ctrl+Shift+Z redoes the replacement and the detection, key included.
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => saved().characters[0]!.picture, SLOW).toMatch(/spin_im1010/);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => saved().characters[0]!.referencePose, SLOW).toEqual(detected);
    await expect.poll(() => keyFrames().length, SLOW).toBe(1);
    expect(studio.pageErrors).toEqual([]);
  });

  it('a pose file drawn on the photo (no canvas in it) is asked about and lands on the photo', async () => {
    await page.getByTestId('nav-editor').click();
    await page.locator('[data-testid=editor-view] canvas').first().waitFor();
    await page.locator('#pose-file-input').setInputFiles(SPIN_POSE);
    const asked = page.getByTestId('import-drawn-on');
    await asked.waitFor(SLOW);
    expect(await asked.textContent()).toMatch(/the picture \(153×192\).*the project canvas/);
    expect(await page.locator('[data-testid=drawn-on-picture] input').isChecked()).toBe(true);
    await page
      .getByTestId('import-dialog')
      .screenshot({ path: screenshotPath('seed-4-import-asks') });
    await page.getByTestId('import-confirm').click();
    const raw = (
      JSON.parse(readFileSync(SPIN_POSE, 'utf8')) as {
        people: { pose_keypoints_2d: number[] }[];
      }
    ).people[0]!.pose_keypoints_2d;
    const at = placePicture({ width: 153, height: 192 }, { width: 512, height: 512 })!;
    await expect
      .poll(() => keyFrames()[0]?.points[Joint.neck * 3], SLOW)
      .toBeCloseTo(at.x + raw[3]! * at.scale, 3);
    expect(keyFrames()[0]!.points[Joint.neck * 3 + 1]).toBeCloseTo(at.y + raw[4]! * at.scale, 3);
    await page.screenshot({ path: screenshotPath('seed-5-imported-on-photo') });
    expect(studio.pageErrors).toEqual([]);
  });
});
