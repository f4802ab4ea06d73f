/**
 * Time from clicking Render to what the person waiting sees, in Debian's Chromium against
 * `pose-studio serve` on a copy of the sample (frames 0–144, the default puppet workers): the
 * row appearing, its first change after that, the first engine counted (when the studio counts
 * engines), and the first frame counted. Runs on any version of the studio with `start-render`
 * and `render-job`, so it measures before and after a change. `npm run bench:render-start [runs]`
 */
import { openStudio } from '../test/e2e/harness';
import { renderStartMoments, rowChanges, watchRenderRow } from '../test/e2e/renderTimeline';

const runs = Number(process.argv[2] ?? 3);
const rows: Record<string, number | null>[] = [];
for (let run = 0; run < runs; run++) {
  const studio = await openStudio(`bench-render-start-${run}`, { width: 1280, height: 900 });
  try {
    const { page } = studio;
    await page.goto(studio.serve.url);
    await page.getByTestId('studio-ready').waitFor();
    await page.getByTestId('open-folder').fill(studio.projectDir);
    await page.getByTestId('open-project').click();
    await page.getByTestId('nav-render').click();
    await page.getByTestId('render-from').fill('0');
    await page.getByTestId('render-to').fill('144');
    await watchRenderRow(page);
    await page.getByTestId('start-render').click();
    await page
      .locator('[data-testid=render-job][data-stage=done]')
      .first()
      .waitFor({ timeout: 300_000 });
    const changes = await rowChanges(page);
    const m = renderStartMoments(changes);
    const engine = changes.find((c) => /Starting engines \([1-9]/.test(c.text))?.ms ?? null;
    const row = { ...m, firstEngine: engine, changes: changes.length };
    rows.push(row);
    console.log(
      `run ${run + 1}: ` +
        Object.entries(row)
          .map(([k, v]) => `${k} ${v === null ? '—' : Math.round(v)}`)
          .join(', '),
    );
  } finally {
    await studio.close();
  }
}
const median = (k: string) => {
  const v = rows.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
  if (v.length === 0) return '—';
  v.sort((a, b) => a - b);
  return `${Math.round(v[Math.floor(v.length / 2)]!)} ms`;
};
console.log(
  `median of ${runs} (ms after the Render click): row shown ${median('rowShown')}, ` +
    `first change after it ${median('firstChangeAfterRow')}, first engine counted ${median('firstEngine')}, ` +
    `first frame counted ${median('firstFrame')}`,
);
