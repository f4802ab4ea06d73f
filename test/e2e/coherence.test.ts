import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The coherence report in the Render view: a real render of the sample, its report plotted, a
 * seam marker reached with the keyboard and clicked, the player stopped on the seam's frame.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  studio = await openStudio('coherence', { width: 1280, height: 1300 });
  page = studio.page;
});
afterAll(() => studio?.close());

describe('coherence report in the studio', { timeout: 240_000 }, () => {
  it('plots the report of a finished render and jumps to a flagged seam', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await expect
      .poll(() => page.getByTestId('project-title').textContent(), SLOW)
      .toMatch(/Sprout sample/);
    await page.getByTestId('nav-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill('72');
    await page.getByTestId('start-render').click();
    const done = page.locator('[data-testid=render-job][data-stage=done]').first();
    await done.waitFor({ timeout: 150_000 });
    const jobId = (await done.getAttribute('data-job-id'))!;

    // The real report of the real render: the puppet draws every frame from its pose, so it has
    // no seam (2 boundaries, none flagged).
    await done.getByTestId('job-play').click();
    const panel = page.getByTestId('coherence-report');
    await panel.waitFor(SLOW);
    expect(await page.getByTestId('coherence-summary').textContent()).toMatch(
      /^seams \d\.\d\d \(0 of 2 flagged\), flicker \d\.\d\d, colour drift ΔE \d\.\d\d character \/ \d\.\d\d background$/,
    );
    expect(await page.getByTestId('seam-marker').count()).toBe(2);

    // A seam the puppet cannot make: the meter's report of frames with a jump at frame 48 (the
    // same boundaries), put in place of the job's report. Close and reopen the player to load it.
    const meter = new CoherenceMeter({ boundaries: [0, 24, 48] });
    for (let t = 0; t < 72; t++) {
      const data = new Uint8Array(32 * 32 * 3).fill(60 + t + (t >= 48 ? 40 : 0));
      meter.add({ width: 32, height: 32, data });
    }
    const file = join(studio.projectDir, 'renders', jobId, 'coherence.json');
    writeFileSync(file, JSON.stringify(meter.report()));
    await page.getByRole('button', { name: 'Close player' }).click();
    await done.getByTestId('job-play').click();
    await page.locator('[data-testid=seam-marker][data-flagged=true]').waitFor(SLOW);

    // Keyboard: Tab reaches the markers (labelled), Enter on the flagged one seeks the player.
    const flagged = page.locator('[data-testid=seam-marker][data-flagged=true]');
    expect(await flagged.getAttribute('aria-label')).toMatch(/^Seam at frame 48: score .*flagged/);
    await page.locator('[data-testid=seam-marker]').first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-frame'))).toBe(
      '48',
    );
    await page.keyboard.press('Enter');
    const video = page.getByTestId('preview-video');
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => Math.floor(v.currentTime * 24)), SLOW)
      .toBe(48);
    expect(await video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    const details = page.getByTestId('seam-details');
    expect(await details.textContent()).toContain('The player shows frame 48');
    await page.getByTestId('seam-rerender').waitFor();
    // Text alternative: the seam table says the same.
    expect(await page.getByTestId('seam-table').textContent()).toMatch(/48[\d.]+yes/);

    await flagged.click(); // the mouse does the same
    await panel.scrollIntoViewIfNeeded();
    const shot = screenshotPath('coherence-report');
    await page.screenshot({ path: shot, fullPage: true });
    mkdirSync(join(repoRoot, 'docs', 'screens'), { recursive: true });
    copyFileSync(shot, join(repoRoot, 'docs', 'screens', 'render-coherence-report.png'));

    // Re-render with more overlap: the same job (same output and range) runs again, with the
    // overlap raised, and its manifest records a second attempt.
    await page.getByTestId('seam-rerender').click();
    await page
      .locator(`[data-testid=render-job][data-job-id="${jobId}"]:not([data-stage=done])`)
      .waitFor(SLOW);
    await page
      .locator(`[data-testid=render-job][data-job-id="${jobId}"][data-stage=done]`)
      .waitFor({ timeout: 150_000 });
    const manifest = JSON.parse(
      readFileSync(join(studio.projectDir, 'renders', jobId, 'manifest.json'), 'utf8'),
    ) as { attempts: unknown[] };
    expect(manifest.attempts).toHaveLength(2);
    expect(studio.pageErrors).toEqual([]);
  });
});
