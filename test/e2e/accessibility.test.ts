import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The studio for people who do not use a mouse or do not see well, in Debian's Chromium against
 * `pose-studio serve`: axe-core finds no serious or critical violation on any view (no project,
 * the Sprout sample open, dark and light theme).
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 200 };

beforeAll(async () => {
  studio = await openStudio('a11y', { width: 1280, height: 900 });
  // axe's Playwright runner needs a page of a context the test made itself.
  const context = await studio.browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => studio.pageErrors.push(e.message));
}, 180_000);

afterAll(() => studio?.close());

function keepScreen(name: string, shot: string): void {
  mkdirSync(join(repoRoot, 'docs', 'screens'), { recursive: true });
  copyFileSync(shot, join(repoRoot, 'docs', 'screens', `${name}.png`));
}

type View = 'projects' | 'character' | 'editor' | 'render' | 'settings';

/** Goes to a view and waits until what it shows has loaded (axe checks what is on screen). */
async function show(view: View, withProject: boolean): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await expect
    .poll(() => page.getByTestId(`nav-${view}`).getAttribute('aria-current'))
    .toBe('page');
  if (view === 'projects') await page.getByTestId('open-folder').waitFor();
  if (view === 'character') {
    const img = page.getByTestId('character-picture');
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), SLOW)
      .toBeGreaterThan(0);
  }
  if (view === 'editor') await page.waitForFunction(() => !!window.__poseEditor, null, SLOW);
  if (view === 'render') await page.getByTestId('start-render').waitFor(SLOW);
  if (view === 'settings') {
    await page.getByTestId('providers').waitFor(SLOW);
    if (withProject)
      await expect
        .poll(() => page.getByTestId('cache-usage').textContent(), SLOW)
        .not.toMatch(/Measuring/);
  }
}

async function expectNoSeriousViolations(where: string): Promise<void> {
  const found = await seriousViolations(page);
  expect(found, `${where}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
}

describe('axe-core on every view', { timeout: 300_000 }, () => {
  it('finds nothing serious with no project open', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    for (const view of ['character', 'editor', 'render'] as const)
      expect(await page.getByTestId(`nav-${view}`).isDisabled()).toBe(true);
    for (const view of ['projects', 'settings'] as const) {
      await show(view, false);
      await expectNoSeriousViolations(`${view}, no project`);
    }
  });

  it('finds nothing serious with the Sprout sample open', async () => {
    await show('projects', false);
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor(SLOW);
    for (const view of ['render', 'projects', 'character', 'editor', 'settings'] as const) {
      await show(view, true);
      await expectNoSeriousViolations(`${view}, Sprout open`);
    }
    await show('render', true);
    const shot = screenshotPath('a11y-dark-render');
    await page.screenshot({ path: shot });
    keepScreen('a11y-dark-render', shot);
  });

  it('finds nothing serious in the light theme either', async () => {
    await show('settings', true);
    await page.getByLabel('Theme').click();
    await page.getByRole('option', { name: 'Light' }).click();
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toBe('rgb(255, 255, 255)');
    for (const view of ['settings', 'projects', 'character', 'editor', 'render'] as const) {
      await show(view, true);
      await expectNoSeriousViolations(`${view}, light theme`);
    }
    const shot = screenshotPath('a11y-light-render');
    await page.screenshot({ path: shot });
    keepScreen('a11y-light-render', shot);
    expect(studio.pageErrors).toEqual([]);
  });
});
