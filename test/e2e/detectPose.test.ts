import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PckTally } from '#shared/extract/pck';
import { ALL_BODY, groundTruthPhotos, pckByPart } from '#test/integration/extract/accuracy';
import { openStudio, screenshotPath, type StudioSession } from './harness';

/**
 * "Detect pose" as a person uses it, in Debian's Chromium against `pose-studio serve`: import a
 * real photo (the SPIN baseball player, with real OpenPose output as ground truth) as the
 * character picture of a copy of the sample project, press Detect pose, see the skeleton move onto
 * the player, and find the detected pose saved in project.json.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 200 };

beforeAll(async () => {
  studio = await openStudio('detect', { width: 1280, height: 900 });
  page = studio.page;
}, 180_000);

afterAll(() => studio?.close());

const storedPose = () =>
  (
    JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
      characters: { referencePose: number[] }[];
    }
  ).characters[0]!.referencePose;

/** Centre of each drawn joint (SVG user units = picture pixels), by joint index. */
const drawnJoints = () =>
  page
    .locator('[data-testid=skeleton-overlay] circle[data-joint]')
    .evaluateAll((els) =>
      els.map((el) => [
        Number(el.getAttribute('data-joint')),
        Number(el.getAttribute('cx')),
        Number(el.getAttribute('cy')),
      ]),
    );

describe('Detect pose in the Character panel', { timeout: 240_000 }, () => {
  it('detects the pose of an imported photo, shows it and saves it', async () => {
    const spin = (await groundTruthPhotos()).find((p) => p.name.startsWith('spin'))!;
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();

    // Import the photo: the skeleton stays the old one until the user asks for detection.
    const poseBefore = storedPose();
    await page.locator('input[type=file]').setInputFiles(spin.picture);
    const img = page.getByTestId('character-picture');
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), SLOW)
      .toBe(153);
    expect(storedPose()).toEqual(poseBefore);
    const before = await drawnJoints();
    await page.screenshot({ path: screenshotPath('detect-01-imported') });

    await page.getByTestId('detect-pose').click();
    const result = page.getByTestId('detect-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.textContent()).toMatch(/Detected one person in [\d.]+ s: \d+ of 24/);
    await expect.poll(() => storedPose(), SLOW).not.toEqual(poseBefore);

    // The saved pose is the player's (PCK@0.1 against the OpenPose output of this photo).
    const saved = Float64Array.from(storedPose());
    const tally = new PckTally();
    tally.add(saved, spin.pose, ALL_BODY);
    expect(pckByPart(tally).all).toBeGreaterThanOrEqual(0.9);

    // The overlay now draws exactly the saved joints.
    const after = await drawnJoints();
    expect(after).not.toEqual(before);
    const foundCount = saved.filter((_, i) => i % 3 === 2 && saved[i]! > 0).length;
    expect(after).toHaveLength(foundCount);
    for (const [i, x, y] of after) {
      expect(x).toBeCloseTo(saved[i! * 3]!, 1);
      expect(y).toBeCloseTo(saved[i! * 3 + 1]!, 1);
    }
    await page.screenshot({ path: screenshotPath('detect-02-detected') });

    // Undo brings the previous pose back (in the file and on screen).
    await page.getByTestId('undo-detect').click();
    await expect
      .poll(() => storedPose(), SLOW)
      .toEqual(poseBefore.map((v, i) => (poseBefore[i - (i % 3) + 2]! > 0 ? v : 0)));
    await expect.poll(() => drawnJoints(), SLOW).toEqual(before);
    expect(await page.getByTestId('detect-result').count()).toBe(0);
    expect(studio.pageErrors).toEqual([]);
  });
});
