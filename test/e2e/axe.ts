import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** What an axe violation says, short enough to read in a failed assertion. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  where: string[];
}

/**
 * Runs axe-core (every rule it ships, WCAG 2.x A/AA and best practices) on the page as it is and
 * returns the serious and critical violations: the ones the studio must never have.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  await transitionsDone(page);
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      where: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
}

/**
 * Waits for every finite CSS transition and animation on the page to end: a colour caught half
 * way (a button fading from disabled grey to enabled) is a contrast the user never sees at rest.
 * Endless ones (a spinner) are left running.
 */
async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}
