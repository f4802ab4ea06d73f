import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, screenshotPath, type StudioSession } from './harness';

/**
 * The editor's render lane in the studio, through `pose-studio serve` on a copy of the sample
 * project: the plan lane shows the render plan's segments, and "preview transition" renders the
 * frames around a segment boundary with the fast puppet generator and plays them.
 */
let studio: StudioSession;
let page: Page;
const SLOW = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  studio = await openStudio('editor-preview', { width: 1440, height: 960 });
  page = studio.page;
});

afterAll(() => studio?.close());

interface Shown {
  __shown?: { frame: string; width: number; src: string; jpeg: boolean }[];
}
interface EditorHandle {
  scene: { jointNode(personId: number, index: number): KonvaNode | undefined };
  stage: { container(): HTMLElement; getIntersection(p: { x: number; y: number }): unknown };
}
interface KonvaNode {
  getAbsolutePosition(): { x: number; y: number };
}

/** Where a joint of the editor's skeleton is on the page, once the pointer would hit it. */
async function jointOnScreen(personId: number, index: number) {
  await expect
    .poll(
      () =>
        page.evaluate(
          ([pid, i]) => {
            const h = (window as unknown as { __poseEditor?: EditorHandle }).__poseEditor;
            const node = h?.scene.jointNode(pid!, i!);
            if (!h || !node) return false;
            return h.stage.getIntersection(node.getAbsolutePosition()) === node;
          },
          [personId, index],
        ),
      SLOW,
    )
    .toBe(true);
  return page.evaluate(
    ([pid, i]) => {
      const h = (window as unknown as { __poseEditor: EditorHandle }).__poseEditor;
      const p = h.scene.jointNode(pid!, i!)!.getAbsolutePosition();
      const box = h.stage.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    [personId, index],
  );
}

describe('editor: plan lane and transition preview', { timeout: 180_000 }, () => {
  it('shows the render plan and plays a rendered transition preview', async () => {
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('start-render').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-editor').click();
    const view = page.getByTestId('editor-view');
    await page.getByTestId('editor-workspace').waitFor({ timeout: 30_000 });

    // Plan lane: 288 frames in segments of 24, nothing rendered yet in this copy.
    await expect.poll(() => view.getAttribute('data-plan-segments'), SLOW).toBe('12');
    expect(await view.getAttribute('data-plan-states')).toBe(Array(12).fill('stale').join(','));

    // Record every frame the player shows (data-frame changes), with its decoded size.
    await page.evaluate(() => {
      const w = window as unknown as Shown;
      w.__shown = [];
      const record = (img: HTMLImageElement) => {
        const push = () =>
          w.__shown!.push({
            frame: img.dataset.frame!,
            width: img.naturalWidth,
            src: `${img.src.length}:${img.src.slice(-400)}`,
            jpeg: img.src.startsWith('data:image/jpeg;base64,'),
          });
        if (img.complete) push();
        else img.addEventListener('load', push, { once: true });
      };
      new MutationObserver((changes) => {
        for (const c of changes) {
          const t = c.target as HTMLElement;
          const img = (
            t.matches?.('[data-testid=transition-preview-frame]')
              ? t
              : t.querySelector?.('[data-testid=transition-preview-frame]')
          ) as HTMLImageElement | null;
          if (img && (c.type === 'attributes' || c.addedNodes.length > 0)) record(img);
        }
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-frame'],
      });
    });

    // Playhead at 0: the nearest boundary is frame 24.
    await page.getByTestId('preview-transition').click();
    const player = page.getByTestId('transition-preview');
    await player.waitFor();
    expect(['rendering', 'ready']).toContain(await player.getAttribute('data-state'));
    if ((await player.getAttribute('data-state')) === 'rendering') {
      expect(await page.getByTestId('transition-preview-progress').textContent()).toMatch(
        /Rendering frames 12–35 \(fast generator\)/,
      );
      await page.screenshot({ path: screenshotPath('editor-preview-1-rendering') });
    }
    await expect.poll(() => player.getAttribute('data-state'), SLOW).toBe('ready');
    expect(await player.getAttribute('data-frame-count')).toBe('24');

    // Real frames: every frame the player put on screen (recorded in the page, so a slow test
    // machine cannot miss them), each a decoded 320 px JPEG, different from the one before.
    await expect
      .poll(
        async () =>
          Number(await page.evaluate(() => (window as unknown as Shown).__shown?.length ?? 0)),
        SLOW,
      )
      .toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: screenshotPath('editor-preview-2-playing') });
    const frame = page.getByTestId('transition-preview-frame');
    // Played once: it stops on the last frame (35) after showing every frame.
    await expect.poll(() => player.getAttribute('data-playing'), SLOW).toBe('false');
    expect(await frame.getAttribute('data-frame')).toBe('35');
    expect(Number(await player.getAttribute('data-frames-shown'))).toBeGreaterThanOrEqual(24);
    const shown = await page.evaluate(() => (window as unknown as Shown).__shown!);
    expect(new Set(shown.map((f) => f.frame))).toEqual(
      new Set(Array.from({ length: 24 }, (_, k) => String(12 + k))),
    );
    expect(shown.every((f) => f.jpeg && f.width === 320)).toBe(true);
    // The sample dance holds some poses: frames 12–35 have 13 distinct poses, so 13 pictures.
    const distinct = new Set(shown.map((f) => f.src)).size;
    expect(distinct).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: screenshotPath('editor-preview-3-finished') });

    // Loop keeps it going past the end; close removes the player.
    await page.locator('input[aria-label="loop preview"]').check();
    await expect.poll(() => player.getAttribute('data-playing')).toBe('true');
    await expect
      .poll(async () => Number(await player.getAttribute('data-frames-shown')), SLOW)
      .toBeGreaterThan(40);
    await page.getByRole('button', { name: 'close preview' }).click();
    await expect.poll(() => player.count()).toBe(0);
    expect(studio.pageErrors).toEqual([]);
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

    // An edit at frame 0 (the key there), once autosaved, makes only the first segment stale.
    const elbow = await jointOnScreen(0, 3);
    await page.mouse.move(elbow.x, elbow.y);
    await page.mouse.down();
    for (let s = 1; s <= 10; s++) await page.mouse.move(elbow.x - 4 * s, elbow.y + 3 * s);
    await page.mouse.up();
    await expect.poll(() => view.getAttribute('data-plan-states'), SLOW).toBe('stale,cached');
    await page.screenshot({ path: screenshotPath('editor-preview-5-plan-stale-after-edit') });
    expect(studio.pageErrors).toEqual([]);
  });
});
