import type { Page } from 'playwright-core';

/** One visible change of the render queue's newest job row, ms after the Render click. */
export interface RowChange {
  ms: number;
  text: string;
}

/**
 * Records every change of the first render-job row's text from the moment Render is clicked
 * (in the page, on its own clock, so the test's polling does not blur the numbers). Works on any
 * version of the studio that has `start-render` and `render-job` (to measure before and after).
 */
export async function watchRenderRow(page: Page): Promise<void> {
  // A string, not a function: tsx (the benches) would wrap named functions in a `__name` helper
  // the page does not have.
  await page.evaluate(`(() => {
    const w = window;
    w.__rowChanges = [];
    w.__t0 = -1;
    document.querySelector('[data-testid=start-render]').addEventListener(
      'click',
      () => { w.__t0 = performance.now(); },
      { capture: true, once: true },
    );
    let last = '';
    new MutationObserver(() => {
      if (w.__t0 < 0) return;
      const row = document.querySelector('[data-testid=render-job]');
      // Seconds that tick on their own are not progress: leave them out of the comparison.
      const text = ((row && row.textContent) || '').replace(/… (\\d+ s|\\d+:\\d\\d)/, '…');
      if (text !== last) {
        last = text;
        w.__rowChanges.push({ ms: performance.now() - w.__t0, text });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
}

export async function rowChanges(page: Page): Promise<RowChange[]> {
  return page.evaluate(() => (window as unknown as { __rowChanges: RowChange[] }).__rowChanges);
}

/** The moments a person waiting for a render notices, from the row's changes. */
export function renderStartMoments(changes: RowChange[]): {
  rowShown: number | null;
  firstChangeAfterRow: number | null;
  firstFrame: number | null;
} {
  const shown = changes.findIndex((c) => c.text !== '');
  const firstFrame = changes.find((c) => /\b[1-9]\d*\/\d+ frames/.test(c.text));
  return {
    rowShown: shown >= 0 ? changes[shown]!.ms : null,
    firstChangeAfterRow: shown >= 0 && changes[shown + 1] ? changes[shown + 1]!.ms : null,
    firstFrame: firstFrame?.ms ?? null,
  };
}
