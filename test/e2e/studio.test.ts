import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, screenshotPath, type StudioSession } from './harness';

/**
 * The studio as a person uses it, in Debian's Chromium against `pose-studio serve`, on a copy of
 * the sample project: open it, look at the character, render, watch progress reach 100 %, play
 * the result, pause/cancel/resume a longer render, check the settings page.
 */
let studio: StudioSession;
let page: Page;
/** The CI machine has 2 shared cores: allow for a slow first load of a service module. */
const SLOW = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  studio = await openStudio('studio', { width: 1440, height: 960 });
  page = studio.page;
});

afterAll(() => studio?.close());

function job(stageOrAny?: string): Locator {
  return page.locator(
    stageOrAny ? `[data-testid=render-job][data-stage=${stageOrAny}]` : '[data-testid=render-job]',
  );
}

async function setRange(from: number, to: number): Promise<void> {
  await page.getByTestId('render-from').fill(String(from));
  await page.getByTestId('render-to').fill(String(to));
}

// Renders run on 2 shared cores: generous per-test limits (they take ~10–30 s on an idle machine).
describe('Pose Studio in the browser', { timeout: 240_000 }, () => {
  it('opens the sample project from the project browser', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.screenshot({ path: screenshotPath('01-project-browser') });
    await page.getByTestId('open-project').click();
    await expect
      .poll(() => page.getByTestId('project-title').textContent(), SLOW)
      .toMatch(/Sprout sample — 512×512, 24 fps/);
    await page.getByTestId('start-render').waitFor();
  });

  it('shows the character with its skeleton', async () => {
    await page.getByTestId('nav-character').click();
    const img = page.getByTestId('character-picture');
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), SLOW)
      .toBeGreaterThan(0);
    expect(await page.locator('[data-testid=skeleton-overlay] circle').count()).toBeGreaterThan(17);
    await page.screenshot({ path: screenshotPath('02-character') });
  });

  it('fixes a joint of the character by dragging it, saved in the project', async () => {
    const pose = () =>
      JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')).characters[0]
        .referencePose as number[];
    const before = pose().slice(4 * 3, 4 * 3 + 2); // right wrist
    const wrist = page.locator('[data-testid=skeleton-overlay] circle[data-joint="4"]');
    const box = (await wrist.boundingBox())!;
    const scale = 512 / (await page.getByTestId('character-picture').boundingBox())!.width;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2 + 20, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => pose()[4 * 3], SLOW).not.toBe(before[0]);
    const after = pose().slice(4 * 3, 4 * 3 + 2);
    expect(after[0]! - before[0]!).toBeCloseTo(-30 * scale, -1);
    expect(after[1]! - before[1]!).toBeCloseTo(20 * scale, -1);
  });

  it('renders, shows progress reaching 100 %, and plays the result', async () => {
    await page.getByTestId('nav-render').click();
    await setRange(0, 48);
    await page.getByTestId('start-render').click();
    const row = job().first();
    await row.waitFor();
    // Progress as the user sees it: the bar's value and the numbers line.
    await page
      .locator(
        '[data-testid=render-job][data-stage=rendering], [data-testid=render-job][data-stage=done]',
      )
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('03-rendering') });
    await job('done').first().waitFor({ timeout: 90_000 });
    const bar = job('done').first().getByTestId('job-progress');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await job('done').first().getByTestId('job-numbers').textContent()).toMatch(
      /^100% · 48\/48 frames · [\d.]+ frames\/s/,
    );
    expect(await job('done').first().getByTestId('job-thumbnail').count()).toBe(1);
    expect(existsSync(join(studio.projectDir, 'renders', 'render-0-48.mp4'))).toBe(true);

    // Browser mode cannot open a folder of the host: it shows where the output is instead.
    await job('done').first().getByTestId('job-folder').click();
    const notice = page.getByTestId('notice').last();
    await notice.waitFor();
    expect(await notice.textContent()).toContain(join(studio.projectDir, 'renders'));
    await notice.getByRole('button', { name: 'Close' }).click();

    await job('done').first().getByTestId('job-play').click();
    const video = page.getByTestId('preview-video');
    await video.waitFor();
    await expect
      .poll(
        () =>
          video.evaluate((v: HTMLVideoElement) => ({
            ready: v.readyState >= 2,
            t: v.currentTime,
            w: v.videoWidth,
          })),
        { timeout: 20_000 },
      )
      .toMatchObject({ ready: true, w: 512 });
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(0.2);
    expect(await video.evaluate((v: HTMLVideoElement) => Math.round(v.duration * 24))).toBe(48);
    await page.screenshot({ path: screenshotPath('04-playing') });
  });

  it('pauses, cancels and resumes a longer render to the end', async () => {
    await page.getByTestId('preview-player').getByRole('button', { name: 'Close player' }).click();
    await setRange(0, 240);
    await page.getByTestId('start-render').click();
    const row = page.locator('[data-testid=render-job]').filter({ hasText: 'frames 0–239' });
    await row.locator('[data-testid=job-pause]').waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getAttribute('data-stage'), { timeout: 30_000 }).toBe('rendering');
    await row.getByTestId('job-pause').click();
    await expect.poll(() => row.getAttribute('data-stage'), SLOW).toBe('paused');
    await page.screenshot({ path: screenshotPath('05-paused') });
    await row.getByTestId('job-resume').click();
    await expect.poll(() => row.getAttribute('data-stage'), SLOW).not.toBe('paused');

    await row.getByTestId('job-cancel').click();
    await expect.poll(() => row.getAttribute('data-stage'), { timeout: 30_000 }).toBe('cancelled');
    const doneAtCancel = Number(
      /(\d+)\/240/.exec((await row.getByTestId('job-numbers').textContent()) ?? '')?.[1],
    );
    expect(doneAtCancel).toBeLessThan(240);
    expect(existsSync(join(studio.projectDir, 'renders', 'render-0-240.mp4'))).toBe(false);
    await page.screenshot({ path: screenshotPath('06-cancelled') });

    await row.getByTestId('job-resume').click();
    await expect
      .poll(() => row.getAttribute('data-stage'), { timeout: 120_000, interval: 500 })
      .toBe('done');
    expect(await row.getByTestId('job-numbers').textContent()).toMatch(/^100% · 240\/240 frames/);
    expect(existsSync(join(studio.projectDir, 'renders', 'render-0-240.mp4'))).toBe(true);
    await page.screenshot({ path: screenshotPath('07-resumed-done') });
  });

  it('sets up a diffusion render: prompt, steps & co. checked, kept across a switch, saved', async () => {
    await page.getByTestId('nav-render').click();
    const generator = page.getByRole('combobox', { name: 'Generator' });
    await generator.click();
    await page.getByRole('option', { name: 'Diffusion' }).click();
    const fields = page.getByTestId('diffusion-settings');
    await fields.waitFor();
    // The project format's defaults to start from.
    expect(await page.getByTestId('render-steps').inputValue()).toBe('25');
    expect(await page.getByTestId('render-guidance').inputValue()).toBe('7.5');
    expect(await page.getByTestId('render-seed').inputValue()).toBe('');

    await page.getByTestId('render-pack').fill('e2e-no-such-pack');
    await page.getByTestId('render-prompt').fill('a knitted toy dancing\non a wooden table');
    await page.getByTestId('render-negativePrompt').fill('blurry, extra fingers');
    await page.getByTestId('render-steps').fill('0');
    // Refused at the field, in the contract's words, and the render cannot start.
    await fields.getByText('must be at least 1').waitFor();
    await page.screenshot({ path: screenshotPath('07b-diffusion-steps-refused') });
    expect(await page.getByTestId('start-render').isDisabled()).toBe(true);
    expect(await page.getByTestId('render-problems').textContent()).toBe(
      'Steps: must be at least 1',
    );

    // To the puppet and back: the diffusion fields hide (and never block a puppet render), then
    // come back as they were, the refused value included.
    await generator.click();
    await page.getByRole('option', { name: 'Puppet (fast)' }).click();
    await fields.waitFor({ state: 'detached' });
    expect(await page.getByTestId('start-render').isEnabled()).toBe(true);
    expect(await page.getByTestId('render-problems').count()).toBe(0);
    await generator.click();
    await page.getByRole('option', { name: 'Diffusion' }).click();
    expect(await page.getByTestId('render-prompt').inputValue()).toBe(
      'a knitted toy dancing\non a wooden table',
    );
    expect(await page.getByTestId('render-pack').inputValue()).toBe('e2e-no-such-pack');
    expect(await page.getByTestId('render-steps').inputValue()).toBe('0');
    expect(await page.getByTestId('start-render').isDisabled()).toBe(true);

    await page.getByTestId('render-steps').fill('12');
    await page.getByTestId('render-controlnetScale').fill('0.8');
    await page.getByTestId('render-seed').fill('42');
    await page.getByRole('combobox', { name: 'Cross-frame attention' }).click();
    await page.getByRole('option', { name: 'Previous frame' }).click();
    expect(await page.getByTestId('start-render').isEnabled()).toBe(true);
    await page.locator('.MuiPopover-root').waitFor({ state: 'detached' }); // menu faded out
    await page.screenshot({ path: screenshotPath('07c-diffusion-settings') });

    // Render saves the settings into the project; with no such pack it is refused before any
    // job exists (no real diffusion render here), saying what to do.
    const jobsBefore = await job().count();
    await page.getByTestId('start-render').click();
    const err = page.getByTestId('error').last();
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toMatch(
      /generator\.params\.pack.*e2e-no-such-pack.*does not exist.*Choose a pack folder/,
    );
    await err.getByRole('button', { name: 'Close' }).click();
    expect(await job().count()).toBe(jobsBefore);
    const saved = JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8'));
    expect(saved.generator).toEqual({
      id: 'diffusion',
      params: {
        pack: 'e2e-no-such-pack',
        prompt: 'a knitted toy dancing\non a wooden table',
        negativePrompt: 'blurry, extra fingers',
        steps: 12,
        guidance: 7.5,
        controlnetScale: 0.8,
        seed: 42,
        crossFrame: 'previous',
        // Defaults the form keeps (docs/project-format.md): the SD1.5 conditioning image and the
        // reference bank as before.
        stickWidth: 'classic',
        referenceMode: 'clean',
        styleFidelity: 0,
        referenceAdain: false,
      },
    });
  });

  it("hosts the pose editor on the project's pose track", async () => {
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=editor-view] canvas').first().waitFor();
    expect(await page.getByTestId('save-state').textContent()).toMatch(/Saved/);
    await page.screenshot({ path: screenshotPath('10-editor') });
  });

  it('shows which execution providers this machine supports', async () => {
    await page.getByTestId('nav-settings').click();
    const providers = page.getByTestId('providers');
    await providers.waitFor({ timeout: 30_000 });
    expect(await providers.textContent()).toMatch(/cpu/);
    expect(await providers.textContent()).toMatch(/Renders use CPU/);
    await page.screenshot({ path: screenshotPath('08-settings') });
  });

  it("sets the render cache limit and shows the open project's cache size", async () => {
    const usage = page.getByTestId('cache-usage');
    await expect
      .poll(() => usage.textContent(), SLOW)
      .toMatch(/^This project's cache: [\d.]+ MB of 20\.0 GB — segments [\d.]+ MB \(\d+ files\)/);
    const limit = page.getByTestId('cache-limit');
    await limit.fill('0');
    await limit.blur();
    await page.getByText('A size from 0.5 to 10000 GB').waitFor();
    await limit.fill('5');
    await limit.blur();
    // The limit comes back from the host with the usage: the setting was saved.
    await expect.poll(() => usage.textContent(), SLOW).toMatch(/ of 5\.00 GB — /);
    await page.screenshot({ path: screenshotPath('08b-settings-cache') });
  });

  it('shows errors with what to do about them', async () => {
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('open-folder').fill(join(studio.work, 'no-such-project'));
    await page.getByTestId('open-project').click();
    const err = page.getByTestId('error').last();
    await err.waitFor();
    expect(await err.textContent()).toMatch(
      /no project\.json here.*Pick the folder that contains project\.json/,
    );
    await page.screenshot({ path: screenshotPath('09-error') });
    expect(studio.pageErrors).toEqual([]);
  });
});
