import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Length, MAX_PICTURE_BYTES, PICTURE_PART_BYTES } from '#shared/api/sizeLimits';
import { openStudio, screenshotPath, type StudioSession } from './harness';

/**
 * A picture over the contract's limit, imported in Debian's Chromium: the UI says so in the
 * user's words before reading or sending it, the project keeps its picture, and the studio's
 * connection to `serve` stays up.
 */
let studio: StudioSession;
let page: Page;

beforeAll(async () => {
  studio = await openStudio('picture-limit', { width: 1280, height: 900 });
  page = studio.page;
}, 180_000);
afterAll(() => studio?.close());

const storedPicture = () =>
  (
    JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
      characters: { picture: string }[];
    }
  ).characters[0]!.picture;

describe('importing a picture that is too large', { timeout: 120_000 }, () => {
  it('is refused in the UI with the limit in words; nothing is sent', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();
    const before = storedPicture();

    // A sparse file: 1 byte over the limit on disk, a PNG signature in front.
    const big = join(studio.work, 'huge.png');
    writeFileSync(big, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    truncateSync(big, MAX_PICTURE_BYTES + 1);
    await page.locator('input[type=file]').setInputFiles(big);

    const err = page.getByTestId('error').last();
    await err.waitFor();
    expect(await err.textContent()).toMatch(
      /"huge\.png" is 48 MB; pictures can be at most 48 MB.*Save it smaller/,
    );
    await page.screenshot({ path: screenshotPath('picture-too-large') });
    expect(storedPicture()).toBe(before);
    // The WebSocket was never closed: the next call is answered.
    expect(
      await page.evaluate(() => document.querySelector('[data-testid=nav-render]') !== null),
    ).toBe(true);
    await page.getByTestId('nav-render').click();
    await page.getByTestId('start-render').waitFor();
    expect(studio.pageErrors).toEqual([]);
  });

  it('a picture over the part size is sent in parts, no frame larger than one part', async () => {
    const sent: number[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(f.payload.length)));
    await page.reload();
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('nav-character').click();
    await page.getByTestId('character-picture').waitFor();
    // Noise does not compress: a 900×900 PNG of it is ~2.4 MB, three parts.
    const noise = randomBytes(900 * 900 * 3);
    const file = join(studio.work, 'noise.png');
    await sharp(noise, { raw: { width: 900, height: 900, channels: 3 } })
      .png()
      .toFile(file);
    expect(statSync(file).size).toBeGreaterThan(2 * PICTURE_PART_BYTES);

    await page.locator('input[type=file]').setInputFiles(file);
    const img = page.getByTestId('character-picture');
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), {
        timeout: 60_000,
      })
      .toBe(900);
    expect(readFileSync(join(studio.projectDir, storedPicture()))).toEqual(readFileSync(file));
    expect(Math.max(...sent)).toBeLessThan(base64Length(PICTURE_PART_BYTES) + 1024);
    expect(sent.filter((n) => n > PICTURE_PART_BYTES).length).toBeGreaterThanOrEqual(2);
    expect(studio.pageErrors).toEqual([]);
  });
});
