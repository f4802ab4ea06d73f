import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The mask in the Character view as a person meets it, in Chromium against `pose-studio serve`:
 * Check mask shows the mask the puppet uses over the picture and beside it, with where it came
 * from; "Use the automatic mask" goes back to the one the puppet makes; a mask file that is not a PNG, or
 * of another shape, is refused in words; a PNG mask is taken.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 120_000, interval: 250 };
const REAL = join(repoRoot, '../shared/fixtures');

beforeAll(async () => {
  studio = await openStudio('mask', { width: 1280, height: 900 });
  page = studio.page;
}, 180_000);
afterAll(() => studio?.close());

const project = () =>
  JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
    characters: { mask?: string }[];
  };

async function chooseMaskFile(path: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-mask').click();
  await (await chooser).setFiles(path);
}

describe('the character mask in the studio', { timeout: 300_000 }, () => {
  it('shows the mask used, goes automatic, refuses a non-PNG and takes a PNG', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();

    // The sample comes with a mask file: checked, it is the one used.
    await page.getByTestId('check-mask').click();
    await page.getByTestId('mask-source').waitFor(SLOW);
    expect(await page.getByTestId('mask-source').textContent()).toMatch(/Your mask file/);
    await page.getByTestId('mask-overlay').waitFor();
    await page.screenshot({ path: screenshotPath('mask-01-user-mask') });

    // Back to the automatic mask (Sprout's picture is opaque on a shaded background: the
    // person-segmentation model finds it).
    await page.getByTestId('clear-mask').click();
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/person-segmentation model/);
    expect(project().characters[0]!.mask).toBeUndefined();
    await page.screenshot({ path: screenshotPath('mask-02-automatic') });

    // A JPEG is not a mask PNG, and a mask of another picture has another shape: both refused
    // in words, the project unchanged.
    await chooseMaskFile(join(REAL, 'photos/spin_im1010.jpg'));
    await expect.poll(() => page.getByText(/is not a PNG file/).count(), SLOW).toBeGreaterThan(0);
    await chooseMaskFile(join(repoRoot, 'test/fixtures/masks/spin_im1010_mask.png'));
    await expect
      .poll(() => page.getByText(/is 153×192 but the picture is/).count(), SLOW)
      .toBeGreaterThan(0);
    expect(project().characters[0]!.mask).toBeUndefined();

    // The character's own mask PNG is taken and used.
    await chooseMaskFile(join(studio.projectDir, 'assets/sprout.mask.png'));
    await expect
      .poll(() => page.getByTestId('mask-source').textContent(), SLOW)
      .toMatch(/Your mask file/);
    expect(project().characters[0]!.mask).toMatch(/^assets\/sprout[-.]mask/);
    await page.screenshot({ path: screenshotPath('mask-03-imported') });
  });
});
