import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BODY_LIMBS, Joint } from '#shared/pose/skeleton';
import { evaluateTrack } from '#shared/pose/track';
import { renderConditioning } from '#shared/pose/conditioning';
import { trackFromJson } from '#shared/editor/trackJson';
import type { PoseTrack } from '#shared/pose/types';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportComfyUi } from '#shared/editor/poseFiles';
import { placePicture } from '#shared/geometry/pictureCanvas';
import { launchChromium, repoRoot, screenshotPath } from './harness';
import { buildStandaloneEditor, serveStandalone } from './editorStandalone';

/**
 * The pose editor in Debian Chromium, driven like a person drives it: mouse drags on the Konva
 * stage, clicks on the timeline, keyboard shortcuts. The page is the standalone editor (the same
 * EditorWorkspace the shell mounts) on the real COCO skier photo and its annotation.
 */
let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await buildStandaloneEditor();
  server = await serveStandalone();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openEditor(query = '', context?: BrowserContext): Promise<Page> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1400, height: 900 } }));
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + query);
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text());
  });
  await page
    .waitForFunction(() => !!window.__poseEditor && !!window.__editorStore, null, {
      timeout: 20_000,
    })
    .catch((e: Error) => {
      throw new Error(`the editor did not start: ${e.message}\n${errors.join('\n')}`);
    });
  await page.waitForTimeout(300);
  expect(errors).toEqual([]);
  return page;
}

/**
 * Screen position of a joint's Konva node, once the stage has settled (fit-to-view runs after the
 * first layout) and a pointer there really hits that joint.
 */
async function jointOnScreen(page: Page, personId: number, index: number) {
  for (let attempt = 0; ; attempt++) {
    await settle(page);
    const r = await page.evaluate(
      ([pid, i]) => {
        const h = window.__poseEditor!;
        const node = h.scene.jointNode(pid!, i!)!;
        const p = node.getAbsolutePosition();
        const box = h.stage.container().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y, hit: h.stage.getIntersection(p) === node };
      },
      [personId, index],
    );
    await settle(page);
    const again = await page.evaluate(
      ([pid, i]) => {
        const h = window.__poseEditor!;
        const p = h.scene.jointNode(pid!, i!)!.getAbsolutePosition();
        const box = h.stage.container().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      },
      [personId, index],
    );
    if (r.hit && Math.abs(r.x - again.x) < 0.5 && Math.abs(r.y - again.y) < 0.5) return again;
    if (attempt > 40)
      throw new Error(`joint ${index} of person ${personId} is not under the pointer`);
    await page.waitForTimeout(100);
  }
}

/** Resolves after the editor's pending redraws ran (they are scheduled on animation frames). */
async function settle(page: Page) {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

async function drag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 12,
) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let s = 1; s <= steps; s++)
    await page.mouse.move(
      from.x + ((to.x - from.x) * s) / steps,
      from.y + ((to.y - from.y) * s) / steps,
    );
  await page.mouse.up();
  await page.waitForTimeout(50);
  await settle(page);
}

async function trackOf(page: Page): Promise<PoseTrack> {
  const json = await page.evaluate(() =>
    JSON.stringify(window.__editorStore!.getState().track, (_k, v) =>
      v instanceof Float64Array ? Array.from(v) : v,
    ),
  );
  return trackFromJson(JSON.parse(json));
}

const keyFrames = (t: PoseTrack) => t.people[0]!.keyframes.map((k) => k.frame);

/** The overlay canvas the user sees (RGBA) and a checksum of its RGB. */
async function overlayPixels(
  page: Page,
): Promise<{ width: number; height: number; rgba: Uint8Array; sum: number }> {
  const r = await page.evaluate(() => {
    const img = window.__poseEditor!.stage.findOne('.conditioning') as unknown as {
      image(): HTMLCanvasElement;
    };
    const c = img.image();
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000)
      bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  });
  const rgba = new Uint8Array(Buffer.from(r.b64, 'base64'));
  let sum = 0;
  for (let i = 0; i < rgba.length; i++) if ((i & 3) !== 3) sum = (sum * 31 + rgba[i]!) >>> 0;
  return { width: r.width, height: r.height, rgba, sum };
}

/** The overlay must be exactly renderConditioning of the evaluated pose, pixel for pixel. */
function expectExactConditioning(
  track: PoseTrack,
  frame: number,
  px: { width: number; height: number; rgba: Uint8Array },
) {
  const want = renderConditioning(evaluateTrack(track, frame));
  expect([px.width, px.height]).toEqual([want.width, want.height]);
  let diff = 0;
  for (let i = 0, j = 0; i < want.data.length; i += 3, j += 4)
    if (
      want.data[i] !== px.rgba[j] ||
      want.data[i + 1] !== px.rgba[j + 1] ||
      want.data[i + 2] !== px.rgba[j + 2]
    )
      diff++;
  expect(diff).toBe(0);
}

describe('pose editor in Chromium', () => {
  it('dragging a wrist between keys creates a keyframe and changes the conditioning overlay; undo restores it', async () => {
    const page = await openEditor();
    await page.screenshot({ path: screenshotPath('editor-1-open') });
    await page.getByRole('button', { name: 'show conditioning' }).click();
    // Playhead to frame 24 (between the keys at 0 and 48) by clicking the timeline ruler.
    await page.evaluate(() => window.__editorStore!.getState().setFrame(24));
    await settle(page);
    const before = await trackOf(page);
    expect(keyFrames(before)).toEqual([0, 48, 95]);
    const overlayBefore = await overlayPixels(page);
    expectExactConditioning(before, 24, overlayBefore);

    const wrist = await jointOnScreen(page, 0, Joint.lWrist);
    await drag(page, wrist, { x: wrist.x + 60, y: wrist.y - 120 });
    const after = await trackOf(page);
    expect(keyFrames(after)).toEqual([0, 24, 48, 95]);
    const k24 = after.people[0]!.keyframes[1]!.points;
    const w0 = evaluateTrack(before, 24).people[0]!.points;
    expect(
      Math.hypot(
        k24[Joint.lWrist * 3]! - w0[Joint.lWrist * 3]!,
        k24[Joint.lWrist * 3 + 1]! - w0[Joint.lWrist * 3 + 1]!,
      ),
    ).toBeGreaterThan(20);
    // IK kept the arm's bone lengths
    const len = (p: Float64Array, a: number, b: number) =>
      Math.hypot(p[a * 3]! - p[b * 3]!, p[a * 3 + 1]! - p[b * 3 + 1]!);
    expect(len(k24, Joint.lElbow, Joint.lWrist)).toBeCloseTo(
      len(w0, Joint.lElbow, Joint.lWrist),
      6,
    );
    expect(len(k24, Joint.lShoulder, Joint.lElbow)).toBeCloseTo(
      len(w0, Joint.lShoulder, Joint.lElbow),
      6,
    );
    // One undo step for the whole drag
    expect(await page.evaluate(() => window.__editorStore!.getState().history.past.length)).toBe(1);
    const overlayAfter = await overlayPixels(page);
    expect(overlayAfter.sum).not.toBe(overlayBefore.sum);
    expectExactConditioning(after, 24, overlayAfter);
    await page.screenshot({ path: screenshotPath('editor-2-wrist-dragged') });

    await page.keyboard.press('Control+z');
    await settle(page);
    const undone = await trackOf(page);
    expect(keyFrames(undone)).toEqual([0, 48, 95]);
    expect((await overlayPixels(page)).sum).toBe(overlayBefore.sum);
    await page.screenshot({ path: screenshotPath('editor-3-undone') });
    await page.keyboard.press('Control+Shift+z');
    await page.waitForTimeout(100);
    expect(keyFrames(await trackOf(page))).toEqual([0, 24, 48, 95]);
    await page.context().close();
  });

  it('two keyframes produce an in-between frame whose limb lengths are unchanged', async () => {
    const page = await openEditor();
    // Pose the key at 48 with IK (arm over the head) and FK (rotate the lower leg), then look at 24.
    await page.evaluate(() => window.__editorStore!.getState().setFrame(48));
    await page.waitForTimeout(100);
    const wrist = await jointOnScreen(page, 0, Joint.rWrist);
    await drag(page, wrist, { x: wrist.x + 40, y: wrist.y - 110 });
    await page.getByRole('button', { name: 'forward kinematics' }).click();
    const ankle = await jointOnScreen(page, 0, Joint.lAnkle);
    await drag(page, ankle, { x: ankle.x + 70, y: ankle.y - 30 });
    await page.getByRole('button', { name: 'onion skin' }).click();
    // Scrub the playhead to frame 24 on the ruler.
    const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
    const x24 = await page.evaluate(() => {
      const v = window.__editorStore!.getState().ahistoric.timeline;
      return (24 - v.startFrame) * v.pxPerFrame;
    });
    await page.mouse.click(box.x + x24, box.y + 10);
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => window.__editorStore!.getState().ahistoric.frame)).toBe(24);

    const track = await trackOf(page);
    expect(keyFrames(track)).toEqual([0, 48, 95]);
    const k0 = track.people[0]!.keyframes[0]!.points;
    const k48 = track.people[0]!.keyframes[1]!.points;
    expect(Math.abs(k48[Joint.rWrist * 3 + 1]! - k0[Joint.rWrist * 3 + 1]!)).toBeGreaterThan(30);
    // What the stage draws at frame 24 (the Konva joints) is the in-between.
    const drawn = await page.evaluate(() => {
      const h = window.__poseEditor!;
      return Array.from({ length: 18 }, (_, i) => {
        const n = h.scene.jointNode(0, i)!;
        return [n.x(), n.y()];
      });
    });
    const mid = evaluateTrack(track, 24).people[0]!.points;
    const len = (p: number[][], a: number, b: number) =>
      Math.hypot(p[a]![0]! - p[b]![0]!, p[a]![1]! - p[b]![1]!);
    const key0 = Array.from({ length: 18 }, (_, i) => [k0[i * 3]!, k0[i * 3 + 1]!]);
    for (const [a, b] of BODY_LIMBS) {
      expect(len(drawn, a, b)).toBeCloseTo(len(key0, a, b), 6);
      expect(drawn[a]![0]).toBeCloseTo(mid[a * 3]!, 6);
    }
    // and it really is in between, not a copy of either key
    expect(drawn[Joint.rWrist]![1]).toBeLessThan(k0[Joint.rWrist * 3 + 1]! - 5);
    expect(drawn[Joint.rWrist]![1]).toBeGreaterThan(k48[Joint.rWrist * 3 + 1]! + 5);
    await page.screenshot({ path: screenshotPath('editor-4-inbetween-onion') });
    await page.context().close();
  });

  it('keyframe lane: select, set bezier easing, copy/paste, delete, K and play with Space', async () => {
    const page = await openEditor();
    let box = (await page.getByTestId('timeline-canvas').boundingBox())!;
    const xOf = (f: number) =>
      page.evaluate((fr) => {
        const v = window.__editorStore!.getState().ahistoric.timeline;
        return (fr - v.startFrame) * v.pxPerFrame;
      }, f);
    let laneY = box.y + 26 + 15;
    await page.mouse.click(box.x + (await xOf(48)), laneY);
    await page.getByRole('button', { name: 'Bezier' }).click();
    await page.getByRole('button', { name: 'in-out' }).click();
    let t = await trackOf(page);
    expect(t.people[0]!.keyframes[1]!.easing).toEqual({
      kind: 'bezier',
      x1: 0.42,
      y1: 0,
      x2: 0.58,
      y2: 1,
    });
    await page.screenshot({ path: screenshotPath('editor-5-easing') });

    // The easing panel grew: the timeline moved on the page.
    box = (await page.getByTestId('timeline-canvas').boundingBox())!;
    laneY = box.y + 26 + 15;
    // Drag the key from 48 to 60.
    await drag(
      page,
      { x: box.x + (await xOf(48)), y: laneY },
      { x: box.x + (await xOf(60)), y: laneY },
      8,
    );
    expect(keyFrames(await trackOf(page))).toEqual([0, 60, 95]);
    await page.keyboard.press('Control+c');
    await page.evaluate(() => window.__editorStore!.getState().setFrame(20));
    await page.keyboard.press('Control+v');
    t = await trackOf(page);
    expect(keyFrames(t)).toEqual([0, 20, 60, 95]);
    expect(Array.from(t.people[0]!.keyframes[1]!.points)).toEqual(
      Array.from(t.people[0]!.keyframes[2]!.points),
    );
    await page.mouse.click(box.x + (await xOf(20)), laneY);
    await page.keyboard.press('Delete');
    expect(keyFrames(await trackOf(page))).toEqual([0, 60, 95]);
    await page.evaluate(() => window.__editorStore!.getState().setFrame(30));
    await page.keyboard.press('k');
    expect(keyFrames(await trackOf(page))).toEqual([0, 30, 60, 95]);

    await page.keyboard.press(' ');
    await page.waitForTimeout(400);
    const playing = await page.evaluate(() => window.__editorStore!.getState().ephemeral.playing);
    const frame = await page.evaluate(() => window.__editorStore!.getState().ahistoric.frame);
    expect(playing).toBe(true);
    expect(frame).toBeGreaterThan(30);
    await page.keyboard.press(' ');
    expect(await page.evaluate(() => window.__editorStore!.getState().ephemeral.playing)).toBe(
      false,
    );
    await page.context().close();
  });

  it('a transition preview plays the frames around a segment boundary', async () => {
    const page = await openEditor();
    const { boundary, x } = await page.evaluate(() => {
      const s = window.__editorStore!.getState();
      const b = s.plan[1]!.start;
      const v = s.ahistoric.timeline;
      return { boundary: b, x: (b - v.startFrame) * v.pxPerFrame };
    });
    const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
    const planY = box.y + 26 + 30 + 13;
    await page.mouse.dblclick(box.x + x, planY);
    await page.waitForTimeout(250);
    const mid = await page.evaluate(() => {
      const s = window.__editorStore!.getState();
      return {
        playing: s.ephemeral.playing,
        frame: s.ahistoric.frame,
        range: s.ephemeral.playRange,
      };
    });
    expect(mid.playing).toBe(true);
    expect(mid.range).toEqual({ from: boundary - 12, to: boundary + 12 });
    expect(mid.frame).toBeGreaterThan(boundary - 12);
    await page.screenshot({ path: screenshotPath('editor-6-transition-preview') });
    await page.waitForFunction(() => !window.__editorStore!.getState().ephemeral.playing, null, {
      timeout: 5000,
    });
    expect(await page.evaluate(() => window.__editorStore!.getState().ahistoric.frame)).toBe(
      boundary + 12,
    );
    await page.context().close();
  });

  it('unsaved edits and view settings survive a reload (recovery copy, persisted view)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await openEditor('', ctx);
    await page.getByRole('button', { name: 'forward kinematics' }).click();
    await page.getByRole('button', { name: 'onion skin' }).click();
    await page.evaluate(() => window.__editorStore!.getState().setFrame(70));
    const wrist = await jointOnScreen(page, 0, Joint.lWrist);
    await drag(page, wrist, { x: wrist.x - 50, y: wrist.y - 60 });
    const edited = await trackOf(page);
    expect(keyFrames(edited)).toEqual([0, 48, 70, 95]);
    await page.close();
    const again = await openEditor('', ctx);
    await again.getByTestId('recovery-banner').waitFor();
    await again.screenshot({ path: screenshotPath('editor-7-recovery') });
    expect(keyFrames(await trackOf(again))).toEqual([0, 48, 95]);
    await again.getByRole('button', { name: 'Restore' }).click();
    expect(keyFrames(await trackOf(again))).toEqual([0, 48, 70, 95]);
    // View settings are remembered too (ahistoric: persisted, not undoable)
    const view = await again.evaluate(() => window.__editorStore!.getState().ahistoric);
    expect([view.dragMode, view.onionSkin.enabled, view.frame]).toEqual(['fk', true, 70]);
    expect(await again.evaluate(() => window.__editorStore!.getState().canUndo())).toBe(false);
    await ctx.close();
  });

  it('two people with hands, face and feet; part toggles hide groups on the stage', async () => {
    const page = await openEditor('?sample=bench');
    await page.evaluate(() => window.__editorStore!.getState().setFrame(4005));
    await page.getByRole('button', { name: 'onion skin' }).click();
    await page.waitForTimeout(200);
    const visible = () =>
      page.evaluate(() => {
        const h = window.__poseEditor!;
        const count = (pid: number, from: number, to: number) => {
          let n = 0;
          for (let i = from; i < to; i++) if (h.scene.jointNode(pid, i)!.visible()) n++;
          return n;
        };
        return {
          body: count(1, 0, 18),
          feet: count(1, 18, 24),
          face: count(1, 24, 94),
          hands: count(1, 94, 136),
        };
      });
    expect(await visible()).toEqual({ body: 18, feet: 6, face: 70, hands: 42 });
    await page.screenshot({ path: screenshotPath('editor-8-two-people') });
    await page.getByRole('button', { name: 'show face' }).click();
    await page.getByRole('button', { name: 'show hands' }).click();
    await page.waitForTimeout(100);
    expect(await visible()).toEqual({ body: 18, feet: 6, face: 0, hands: 0 });
    await page.context().close();
  });

  it('imports a pose file: dense frames reduced within the shown tolerance; the real editor pose replaces the track; undo', async () => {
    const page = await openEditor();
    // A dense ComfyUI file: every frame of the skier track, evaluated.
    const track = await trackOf(page);
    const dense = join(tmpdir(), `editor-dense-${process.pid}.json`);
    writeFileSync(
      dense,
      exportComfyUi(Array.from({ length: 96 }, (_, f) => evaluateTrack(track, f))),
    );
    await page.locator('#pose-file-input').setInputFiles(dense);
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(
      /^\d+ keyframes? from 96 frames; worst playback error \d+\.\d+ px \(tolerance 2 px\)$/,
    );
    const keys = Number((await summary.textContent())!.split(' ')[0]);
    expect(keys).toBeLessThan(20);
    await page.getByLabel('tolerance').fill('0.5');
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="import-summary"]')!
        .textContent!.includes('tolerance 0.5 px'),
    );
    await page.screenshot({ path: screenshotPath('editor-9-import-dialog') });
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page
      .locator('#pose-file-input')
      .setInputFiles(
        join(repoRoot, 'test', 'fixtures', 'poses', 'openpose_editor_pose_hand_fixed.json'),
      );
    await page.getByRole('button', { name: 'Replace the track' }).click();
    await page.waitForTimeout(300);
    const imported = await trackOf(page);
    // The file's own 768×512 canvas is placed on the editor's canvas as a picture is (aspect
    // kept, centred): the track keeps its canvas and the pose keeps its shape.
    expect([imported.width, imported.height]).toEqual([640, 425]);
    expect(imported.people[0]!.keyframes).toHaveLength(1);
    const file = JSON.parse(
      readFileSync(
        join(repoRoot, 'test', 'fixtures', 'poses', 'openpose_editor_pose_hand_fixed.json'),
        'utf8',
      ),
    ) as { people: { pose_keypoints_2d: number[] }[] };
    const at = placePicture({ width: 768, height: 512 }, { width: 640, height: 425 })!;
    const nose = imported.people[0]!.keyframes[0]!.points;
    expect(nose[0]).toBeCloseTo(at.x + file.people[0]!.pose_keypoints_2d[0]! * at.scale, 6);
    expect(nose[1]).toBeCloseTo(at.y + file.people[0]!.pose_keypoints_2d[1]! * at.scale, 6);
    await page.screenshot({ path: screenshotPath('editor-10-imported-hands') });
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(100);
    const back = await trackOf(page);
    expect([back.width, keyFrames(back)]).toEqual([640, [0, 48, 95]]);
    await page.context().close();
  });

  it('bound to a project through the API client: loads the track and autosaves edits with track.save', async () => {
    const page = await openEditor('?sample=project');
    expect(keyFrames(await trackOf(page))).toEqual([0, 48, 95]);
    await page.evaluate(() => window.__editorStore!.getState().setFrame(24));
    await page.waitForTimeout(100);
    const wrist = await jointOnScreen(page, 0, Joint.lWrist);
    await drag(page, wrist, { x: wrist.x + 40, y: wrist.y - 80 });
    expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved edits');
    await page.waitForFunction(() => window.__memoryClient!.saved.length > 0, null, {
      timeout: 10_000,
    });
    await page.getByTestId('save-state').getByText('Saved').waitFor({ timeout: 5_000 });
    const saved = await page.evaluate(() => {
      const c = window.__memoryClient!;
      const last = c.saved[c.saved.length - 1]!;
      return {
        count: c.saved.length,
        frames: last.people[0]!.keyframes.map((k) => k.frame),
        id: last.id,
      };
    });
    expect(saved.count).toBe(1);
    expect(saved).toMatchObject({ frames: [0, 24, 48, 95], id: 'track-1' });
    // Saved: no recovery copy is left behind.
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('recovery'))),
    ).toEqual([]);
    await page.context().close();
  });
});
