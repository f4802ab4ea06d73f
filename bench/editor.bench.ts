/**
 * Pose editor speed in Debian Chromium (headless, no GPU), on the standalone editor page with
 * `?sample=bench`: two people × 136 points, a 10,000-frame track with 1,000 keyframes per person.
 *
 * Prints, for dragging a wrist (IK) with and without the conditioning overlay, and for scrubbing
 * the playhead across the whole track, with one pointer move per animation frame:
 * - frame interval p50/p95 and frames/s (requestAnimationFrame timestamps during the gesture),
 * - the editor's own work per frame p50/p95: input handler (store update: IK, command, history)
 *   + stage redraw (evaluation, Konva nodes, overlay) + timeline redraw.
 *
 * Run: npm run bench:editor
 */
import type { Page } from 'playwright-core';
import { Joint } from '#shared/pose/skeleton';
import { launchChromium } from '#test/e2e/harness';
import { buildStandaloneEditor, serveStandalone } from '#test/e2e/editorStandalone';

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f2 = (n: number) => n.toFixed(2);

interface Run {
  frames: number[];
  input: number[];
  stage: number[];
  timeline: number[];
}

/**
 * Moves the pointer once per animation frame from inside the page (synthetic events on the same
 * listeners the mouse uses), so what is measured is the editor's cost per frame — not the
 * latency of the DevTools protocol, which on a loaded 2-core machine dominates page.mouse.move.
 */
async function pointerPerFrame(
  page: Page,
  target: 'window' | 'timeline',
  from: { x: number; y: number },
  path: 'circle' | 'sweep',
  frames: number,
  span: number,
): Promise<Run> {
  return page.evaluate(
    ([target, fx, fy, path, n, span]) =>
      new Promise<Run>((resolve) => {
        const perf = window.__editorPerf!;
        perf.stage.length = 0;
        perf.timeline.length = 0;
        const canvas = document.querySelector('[data-testid="timeline-canvas"]')!;
        const out: Run = { frames: [], input: [], stage: perf.stage, timeline: perf.timeline };
        let i = 0;
        const tick = (t: number) => {
          out.frames.push(t);
          if (i++ >= (n as number))
            return resolve({ ...out, stage: [...perf.stage], timeline: [...perf.timeline] });
          const a = (i / (n as number)) * Math.PI * 4;
          const x =
            path === 'circle'
              ? (fx as number) + Math.sin(a) * 40
              : (fx as number) + ((span as number) * i) / (n as number);
          const y = path === 'circle' ? (fy as number) - 30 + Math.cos(a) * 30 : (fy as number);
          const t0 = performance.now();
          if (target === 'window')
            window.dispatchEvent(
              new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }),
            );
          else
            canvas.dispatchEvent(
              new PointerEvent('pointermove', {
                clientX: x,
                clientY: y,
                pointerId: 1,
                bubbles: true,
              }),
            );
          out.input.push(performance.now() - t0);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    [target, from.x, from.y, path, frames, span] as const,
  );
}

function report(name: string, r: Run) {
  const iv = r.frames.slice(1).map((t, i) => t - r.frames[i]!);
  const fps = ((r.frames.length - 1) * 1000) / (r.frames[r.frames.length - 1]! - r.frames[0]!);
  // The editor's own work in one frame: the input handler, then one stage and one timeline redraw.
  const work = r.input.map((v, i) => v + (r.stage[i] ?? 0) + (r.timeline[i] ?? 0));
  console.log(
    `${name.padEnd(28)} ${String(r.frames.length - 1).padStart(4)} frames  interval p50 ${f2(pct(iv, 50))} p95 ${f2(pct(iv, 95))} ms  ${f2(fps).padStart(6)} fps\n` +
      `${''.padEnd(28)} work/frame p50 ${f2(pct(work, 50))} p95 ${f2(pct(work, 95))} ms = input ${f2(pct(r.input, 50))}/${f2(pct(r.input, 95))} + stage ${f2(pct(r.stage, 50))}/${f2(pct(r.stage, 95))} + timeline ${f2(pct(r.timeline, 50))}/${f2(pct(r.timeline, 95))} (p50/p95 ms)`,
  );
}

async function wristOnScreen(page: Page) {
  return page.evaluate((i) => {
    const h = window.__poseEditor!;
    const p = h.scene.jointNode(0, i)!.getAbsolutePosition();
    const r = h.stage.container().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, Joint.lWrist);
}

async function main() {
  await buildStandaloneEditor();
  const server = await serveStandalone();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx compiles with keepNames, which wraps named functions in page.evaluate callbacks with a
    // `__name` helper that only exists in Node: give the page a no-op one.
    await page.addInitScript(
      'globalThis.__name = (f) => f; window.__editorPerf = { stage: [], timeline: [] };',
    );
    const tLoad = performance.now();
    await page.goto(server.url + '?sample=bench');
    await page.waitForFunction(() => !!window.__poseEditor && !!window.__editorStore, null, {
      timeout: 30_000,
    });
    const { loadavg } = await import('node:os');
    console.log(
      `machine load average ${loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores (other work shares the CPU)`,
    );
    console.log(
      `editor page interactive in ${(performance.now() - tLoad).toFixed(0)} ms (2 people × 136 points, 10,000 frames, 2 × 1,000 keyframes)`,
    );
    await page.evaluate(() => window.__editorStore!.getState().setFrame(4005)); // between two keys
    await page.waitForTimeout(300);

    const FRAMES = 240;
    for (const overlay of [false, true]) {
      await page.evaluate(
        (on) => window.__editorStore!.getState().setView({ showConditioning: on }),
        overlay,
      );
      await page.waitForTimeout(200);
      const at = await wristOnScreen(page);
      await page.mouse.move(at.x, at.y);
      await page.mouse.down();
      await page.mouse.move(at.x + 2, at.y - 2); // starts the Konva drag
      const run = await pointerPerFrame(page, 'window', at, 'circle', FRAMES, 0);
      await page.mouse.up();
      report(`drag wrist (IK)${overlay ? ' + overlay' : ''}`, run);
    }
    await page.evaluate(() =>
      window.__editorStore!.getState().setView({ showConditioning: false }),
    );
    const entries = await page.evaluate(() => window.__editorStore!.getState().history.past.length);
    console.log(`undo entries after the two drags: ${entries} (each drag coalesces into one)`);

    // Scrub: drag the playhead along the ruler across the whole 10,000-frame track.
    const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
    await page.mouse.move(box.x + 12, box.y + 8);
    await page.mouse.down();
    const scrub = await pointerPerFrame(
      page,
      'timeline',
      { x: box.x + 12, y: box.y + 8 },
      'sweep',
      FRAMES,
      box.width - 24,
    );
    await page.mouse.up();
    const reached = await page.evaluate(() => window.__editorStore!.getState().ahistoric.frame);
    report(`scrub 0 → ${reached} of 10,000`, scrub);

    // Raw evaluation cost of a cold frame (new track object → new evaluator), and a warm one.
    const evalCost = await page.evaluate(() => {
      const s = window.__editorStore!.getState();
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) s.poseAt(Math.floor(Math.random() * 10_000));
      const warm = (performance.now() - t0) / 1000;
      return { warm };
    });
    console.log(
      `poseAt(random frame) on the 10,000-frame track: ${(evalCost.warm * 1000).toFixed(1)} µs per frame (2 people)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
