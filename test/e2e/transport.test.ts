import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUiOnce, launchChromium, startServe, type ServeProcess } from './harness';

/**
 * The renderer picks its transport at start: the preload bridge (`window.poseStudio`) when it
 * exists, else the WebSocket. Electron cannot run here, so a stand-in bridge with the preload's
 * exact shape (invoke → {ok, result|error}, subscribe, mediaScheme) is installed before the page
 * loads; it relays to the host, counting calls, so the IPC client path runs in the real UI.
 */
const settingsDir = mkdtempSync(join(tmpdir(), 'ps-e2e-transport-'));
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  await buildUiOnce();
  serve = await startServe(['--port', '0', '--settings-dir', settingsDir]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('transport selection', () => {
  it('uses window.poseStudio (the preload bridge) when present', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const calls: string[] = [];
      w.__bridgeCalls = calls;
      const ws = new WebSocket(`ws://${location.host}/api`);
      const open = new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const pending = new Map<number, (v: unknown) => void>();
      let next = 1;
      ws.addEventListener('message', (ev) => {
        const f = JSON.parse(String(ev.data));
        const done = pending.get(f.id);
        if (!done) return;
        pending.delete(f.id);
        done(f.type === 'result' ? { ok: true, result: f.result } : { ok: false, error: f.error });
      });
      w.poseStudio = Object.freeze({
        invoke: async (method: string, params: unknown) => {
          calls.push(method);
          await open;
          const id = next++;
          return new Promise((resolve) => {
            pending.set(id, resolve);
            ws.send(JSON.stringify({ type: 'call', id, method, params }));
          });
        },
        subscribe: () => () => undefined,
        mediaScheme: 'pose-studio-media',
      });
    });
    await page.goto(serve.url);
    await page.getByTestId('studio-ready').waitFor();
    const calls = (await page.evaluate(
      () => (window as unknown as { __bridgeCalls: string[] }).__bridgeCalls,
    )) as string[];
    expect(calls).toEqual(expect.arrayContaining(['app.info', 'settings.get', 'projects.current']));
    // Errors come back through the bridge with their hint, as the IPC client reads them.
    await page.getByTestId('open-folder').fill('/definitely/not/a/project');
    await page.getByTestId('open-project').click();
    expect(await page.getByTestId('error').last().textContent()).toMatch(
      /no project\.json here.*Pick the folder/,
    );
    await page.close();
  });

  it('uses the WebSocket in a plain browser', async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(serve.url);
    await page.getByTestId('studio-ready').waitFor();
    expect(sockets).toEqual([serve.url.replace('http://', 'ws://') + 'api']);
    await page.close();
  });
});
