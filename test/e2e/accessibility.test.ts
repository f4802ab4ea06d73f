import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANVAS_HINT } from '#shared/editor/jointKeys';
import { seriousViolations } from './axe';
import { openStudio, repoRoot, screenshotPath, type StudioSession } from './harness';

/**
 * The studio for people who do not use a mouse or do not see well, in Debian's Chromium against
 * `pose-studio serve`: axe-core finds no serious or critical violation on any view (no project,
 * the Sprout sample open, dark and light theme); the pose canvas is reached by Tab, `]`/`[`
 * choose joints (announced), arrows move them, undoable; Settings says in words why a GPU
 * provider is not used.
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
    // The view checks the mask by itself when it shows the picture, with its buttons disabled
    // meanwhile; axe must see the view at rest, not the buttons fading back in.
    await expect.poll(() => page.getByTestId('check-mask').isEnabled(), SLOW).toBe(true);
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

/** Where the stage draws joint `index` of the first person (pose pixels). */
const jointOnStage = (index: number) =>
  page.evaluate((i) => {
    const c = window.__poseEditor!.stage.findOne(
      (n: { name(): string }) => / j(\d+)$/.exec(n.name())?.[1] === String(i),
    )!;
    return [c.x(), c.y()];
  }, index);

const said = () => page.getByTestId('joint-announcement').textContent();
const focusedTestId = () =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('the pose canvas by keyboard', { timeout: 240_000 }, () => {
  it('is reached by Tab, chooses joints with ] and [, and says which', async () => {
    await show('editor', true);
    await page.getByTestId('nav-editor').focus();
    let presses = 0;
    while ((await focusedTestId()) !== 'pose-stage' && presses++ < 100)
      await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('pose-stage');
    await expect.poll(said).toBe(CANVAS_HINT);

    await page.keyboard.press(']');
    await expect.poll(said).toMatch(/^nose at \d+, \d+$/);
    for (let i = 0; i < 20 && !(await said())?.startsWith('right wrist'); i++)
      await page.keyboard.press(']');
    await expect.poll(said).toMatch(/^right wrist at \d+, \d+$/);
    await page.keyboard.press('[');
    await expect.poll(said).toMatch(/^right elbow at/);
    await page.keyboard.press(']');
    await expect.poll(said).toMatch(/^right wrist at/);
  });

  it('moves the chosen joint with the arrows (Shift: 10 px), each press one undo step', async () => {
    const [x, y] = await jointOnStage(4);
    // A held key repeats: one gesture, like a drag, however many repeats.
    for (let i = 0; i < 5; i++) await page.keyboard.down('ArrowRight');
    await page.keyboard.up('ArrowRight');
    await expect.poll(() => jointOnStage(4)).toEqual([x! + 5, y!]);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => jointOnStage(4)).toEqual([x! + 5, y! + 10]);
    await expect.poll(said).toBe(`right wrist at ${Math.round(x! + 5)}, ${Math.round(y! + 10)}`);
    const shot = screenshotPath('a11y-keyboard-joint');
    await page.screenshot({ path: shot });
    keepScreen('a11y-keyboard-joint', shot);

    await page.keyboard.press('Control+z');
    await expect.poll(() => jointOnStage(4)).toEqual([x! + 5, y!]);
    expect(await page.getByTestId('editor-status').textContent()).toBe('Undo: Move r_wrist');
    await page.keyboard.press('Control+z');
    await expect.poll(() => jointOnStage(4)).toEqual([x!, y!]);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => jointOnStage(4)).toEqual([x! + 5, y!]);
  });

  it('leaves the arrows to the timeline when no joint is chosen, and lets Tab leave', async () => {
    const frame = async () =>
      Number((await page.getByTestId('frame-readout').textContent())!.split('/')[0]);
    const at = await frame();
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
    await expect.poll(frame).toBe(at + 1);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(frame).toBe(at);
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).not.toBe('pose-stage');
    expect(studio.pageErrors).toEqual([]);
  });
});

const storedPose = () =>
  (
    JSON.parse(readFileSync(join(studio.projectDir, 'project.json'), 'utf8')) as {
      characters: { referencePose: number[] }[];
    }
  ).characters[0]!.referencePose;

describe("the character's skeleton by keyboard", { timeout: 240_000 }, () => {
  it('is reached by Tab; ] chooses a joint, the arrows move it, releasing saves it', async () => {
    await show('character', true);
    const said = () => page.getByTestId('skeleton-announcement').textContent();
    await page.getByTestId('nav-character').focus();
    let presses = 0;
    while ((await focusedTestId()) !== 'skeleton-overlay' && presses++ < 60)
      await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('skeleton-overlay');
    await expect.poll(said).toMatch(/^Character skeleton: press \] or \[/);

    await page.keyboard.press(']');
    await expect.poll(said).toMatch(/^nose at \d+, \d+$/);
    for (let i = 0; i < 20 && !(await said())?.startsWith('right wrist'); i++)
      await page.keyboard.press(']');
    const before = storedPose().slice(4 * 3, 4 * 3 + 2);
    expect(await said()).toBe(
      `right wrist at ${Math.round(before[0]!)}, ${Math.round(before[1]!)}`,
    );

    // Held: moves on screen only; released: one save, like dropping a dragged joint.
    for (let i = 0; i < 3; i++) await page.keyboard.down('ArrowLeft');
    await page.keyboard.up('ArrowLeft');
    await page.keyboard.press('Shift+ArrowUp');
    await expect
      .poll(() => storedPose().slice(4 * 3, 4 * 3 + 2), SLOW)
      .toEqual([Math.round(before[0]! - 3), Math.round(before[1]! - 10)]);
    await expect
      .poll(said)
      .toBe(`right wrist at ${Math.round(before[0]! - 3)}, ${Math.round(before[1]! - 10)}`);
    const shot = screenshotPath('a11y-keyboard-character');
    await page.screenshot({ path: shot });
    keepScreen('a11y-keyboard-character', shot);
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).not.toBe('skeleton-overlay');
  });
});

describe('execution providers in words', { timeout: 240_000 }, () => {
  it.skipIf(process.platform === 'win32')(
    'says which provider cannot be used, why, and that the CPU is used instead',
    async () => {
      await show('settings', true);
      await page.getByLabel('Execution provider').click();
      await page.getByRole('option', { name: 'DirectML (Windows)' }).click();
      const problems = page.getByTestId('provider-problems');
      await expect
        .poll(() => problems.textContent(), SLOW)
        .toMatch(
          /^DirectML \(Windows\) is not part of this machine's ONNX Runtime \(it has CPU.*\)\. Renders use CPU instead\. DirectML exists only on Windows/,
        );
      const shot = screenshotPath('a11y-settings-provider');
      await page.getByTestId('providers').screenshot({ path: shot });
      keepScreen('a11y-settings-provider', shot);
      await expectNoSeriousViolations('settings with a provider problem');

      // Automatic: whatever this machine lacks is said in words, never as the engine's raw text.
      await page.getByLabel('Execution provider').click();
      await page.getByRole('option', { name: 'Automatic (best available)' }).click();
      await expect
        .poll(() => page.getByTestId('providers').textContent(), SLOW)
        .not.toMatch(/DirectML/);
      // Linux tries CUDA first: on a machine without it (this one, CI) the page says why, in words.
      const providers = (await page.getByTestId('providers').textContent()) ?? '';
      if (process.platform === 'linux' && /Renders use CPU/.test(providers)) {
        await expect
          .poll(() => problems.textContent(), SLOW)
          .toMatch(
            /^CUDA \(NVIDIA\) (could not start: .+|is not part of .+)\. Renders use CPU instead\. It needs/,
          );
        const cuda = screenshotPath('a11y-settings-provider-cuda');
        await page.getByTestId('providers').screenshot({ path: cuda });
        keepScreen('a11y-settings-provider-cuda', cuda);
      }
      expect(await page.getByTestId('providers').textContent()).not.toMatch(
        /\b\w+ failed:|fell back/,
      );
    },
  );
});
