import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildUiOnce,
  launchChromium,
  repoRoot,
  screenshotPath,
  startServe,
  type ServeProcess,
} from './harness';

/**
 * The editor's render lane in the studio, through `pose-studio serve` on a copy of the sample
 * project: the plan lane shows the render plan's segments, and "preview transition" renders the
 * frames around a segment boundary with the fast puppet generator and plays them.
 */
const work = mkdtempSync(join(tmpdir(), 'ps-e2e-editor-preview-'));
const projectDir = join(work, 'sample-project');
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const SLOW = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  cpSync(join(repoRoot, 'assets', 'sample-project'), projectDir, { recursive: true });
  await buildUiOnce();
  serve = await startServe(['--port', '0', '--settings-dir', join(work, 'settings')]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('editor: plan lane and transition preview', { timeout: 180_000 }, () => {
  it('shows the render plan and plays a rendered transition preview', async () => {
    await page.goto(serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-editor').click();
    const view = page.getByTestId('editor-view');
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });

    // Plan lane: 288 frames in segments of 24, nothing rendered yet in this copy.
    await expect.poll(() => view.getAttribute('data-plan-segments'), SLOW).toBe('12');
    expect(await view.getAttribute('data-plan-states')).toBe(Array(12).fill('stale').join(','));

    // Playhead at 0: the nearest boundary is frame 24.
    await page.getByTestId('preview-transition').click();
    const player = page.getByTestId('transition-preview');
    await player.waitFor();
    expect(['rendering', 'ready']).toContain(await player.getAttribute('data-state'));
    if ((await player.getAttribute('data-state')) === 'rendering') {
      expect(await page.getByTestId('transition-preview-progress').textContent()).toMatch(
        /Rendering frames 12–35 with the fast generator/,
      );
      await page.screenshot({ path: screenshotPath('editor-preview-1-rendering') });
    }
    await expect.poll(() => player.getAttribute('data-state'), SLOW).toBe('ready');
    expect(await player.getAttribute('data-frame-count')).toBe('24');

    // Real frames: decoded JPEGs at 320 px that change while it plays.
    const frame = page.getByTestId('transition-preview-frame');
    const seen = new Set<string>();
    const sources = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 6; i++) {
      const info = await frame.evaluate((el) => {
        const img = el as HTMLImageElement;
        return {
          frame: img.dataset.frame!,
          w: img.naturalWidth,
          src: img.src.slice(-64),
          jpeg: img.src.startsWith('data:image/jpeg;base64,'),
        };
      });
      expect(info.jpeg).toBe(true);
      if (info.w > 0) {
        expect(info.w).toBe(320);
        seen.add(info.frame);
        sources.add(info.src);
      }
      if (seen.size === 3)
        await page.screenshot({ path: screenshotPath('editor-preview-2-playing') });
      await page.waitForTimeout(40);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(sources.size).toBeGreaterThanOrEqual(4);
    for (const f of seen) expect(Number(f)).toBeGreaterThanOrEqual(12);

    // Played once: it stops on the last frame (35) after showing every frame.
    await expect.poll(() => player.getAttribute('data-playing'), SLOW).toBe('false');
    expect(await frame.getAttribute('data-frame')).toBe('35');
    expect(Number(await player.getAttribute('data-frames-shown'))).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: screenshotPath('editor-preview-3-finished') });

    // Loop keeps it going past the end; close removes the player.
    await page.locator('input[aria-label="loop preview"]').check();
    await expect.poll(() => player.getAttribute('data-playing')).toBe('true');
    await expect
      .poll(async () => Number(await player.getAttribute('data-frames-shown')), SLOW)
      .toBeGreaterThan(40);
    await page.getByRole('button', { name: 'close preview' }).click();
    await expect.poll(() => player.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
  it('marks segments a render has put in the cache', async () => {
    await page.getByTestId('nav-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill('48');
    await page.getByTestId('start-render').click();
    await page
      .locator('[data-testid=render-job][data-stage=done]')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.getByTestId('nav-editor').click();
    const view = page.getByTestId('editor-view');
    // render.start saved 0–48 as the project's range: two segments of 24, both cached now.
    await expect.poll(() => view.getAttribute('data-plan-states'), SLOW).toBe('cached,cached');
    await page.screenshot({ path: screenshotPath('editor-preview-4-plan-cached') });
    expect(pageErrors).toEqual([]);
  });
});
