import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killGroup, spawnCli } from '#test/helpers/farmProcesses';
import { startRedis, type RedisServer } from '#test/helpers/redisServer';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The render farm from the studio: the farm's Redis set in Settings, two real
 * `pose-studio farm worker` processes, a render started in the Render view, and the view's
 * lanes showing which worker rendered which segment.
 */
let studio: StudioSession;
let page: Page;
let redis: RedisServer;
const children: ChildProcess[] = [];
const cache = mkdtempSync(join(tmpdir(), 'ps-e2e-farm-assets-'));
const SLOW = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  redis = await startRedis();
  studio = await openStudio('farm', { width: 1280, height: 900 });
  page = studio.page;
});
afterAll(async () => {
  for (const c of children) killGroup(c);
  await studio?.close();
  await redis?.stop();
  rmSync(cache, { recursive: true, force: true });
});

describe('render farm in the studio', { timeout: 420_000 }, () => {
  it('renders on the farm set in Settings and draws each worker’s lane of segments', async () => {
    const ready = [0, 1].map(
      (n) =>
        new Promise<void>((resolve) =>
          spawnCli(
            ['farm', 'worker', '--redis', redis.url, '--cache', join(cache, String(n))],
            (l) => l.type === 'ready' && resolve(),
            children,
          ),
        ),
    );
    await Promise.all(ready);

    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await expect
      .poll(() => page.getByTestId('project-title').textContent(), SLOW)
      .toMatch(/Sprout sample/);

    // A wrong URL is refused in words and not saved; the right one is saved on blur.
    await page.getByTestId('nav-settings').click();
    const url = page.getByTestId('farm-redis-url');
    await url.fill('http://not-redis');
    await url.blur();
    await page.getByText(/Use redis:\/\/:password@host:6379/).waitFor({ state: 'attached' });
    await url.fill(redis.url);
    await url.blur();
    await expect
      .poll(async () => (await page.getByText(/Use redis:\/\/:password/).count()) === 0, SLOW)
      .toBe(true);

    await page.getByTestId('nav-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill('96');
    await page.getByTestId('start-render').click();
    // Done or failed, whichever comes: a failed render shows its reason in the assertion.
    const job = page.locator('[data-testid=render-job]').first();
    const settled = page
      .locator(
        '[data-testid=render-job][data-stage=done], [data-testid=render-job][data-stage=failed]',
      )
      .first();
    await settled.waitFor({ timeout: 240_000 });
    expect(`${await job.getAttribute('data-stage')}: ${await job.textContent()}`).toMatch(/^done/);
    const done = page.locator('[data-testid=render-job][data-stage=done]').first();

    const lanes = done.getByTestId('farm-lanes');
    await lanes.waitFor(SLOW);
    // Four 24-frame segments, each done once, on the lanes of the two workers.
    expect(await done.locator('[data-testid=farm-lane][data-state=done]').count()).toBe(4);
    const workers = await done
      .getByTestId('farm-worker')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-worker')));
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(await lanes.textContent()).toMatch(/Render farm redis:\/\/:\*\*\*@127\.0\.0\.1/);
    expect(await lanes.textContent()).not.toContain(redis.password);
    expect(await lanes.textContent()).toMatch(/\d+\.\d frames\/s/);

    const shot = screenshotPath('render-farm-lanes');
    await page.screenshot({ path: shot, fullPage: true });
    mkdirSync(join(repoRoot, 'docs', 'screens'), { recursive: true });
    copyFileSync(shot, join(repoRoot, 'docs', 'screens', 'render-farm-lanes.png'));
    expect(studio.pageErrors).toEqual([]);
  });
});
