import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  buildUiOnce,
  launchChromium,
  nonLoopbackAddress,
  startServe,
  type ServeProcess,
} from './harness';

/** Opens a WebSocket and resolves with either "open" or the HTTP status of the refusal. */
function tryConnect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ open: true; ws: WebSocket } | { open: false; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) =>
      resolve({ open: false, status: res.statusCode ?? 0 }),
    );
    ws.once('error', () => resolve({ open: false, status: 0 }));
  });
}

function call(
  ws: WebSocket,
  text: string,
): Promise<{
  type: string;
  id: number | null;
  error?: { code: string; message: string };
  result?: unknown;
}> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(text);
  });
}

const settingsDir = mkdtempSync(join(tmpdir(), 'ps-e2e-settings-'));
afterAll(() => rmSync(settingsDir, { recursive: true, force: true }));
beforeAll(async () => buildUiOnce());

describe('browser mode on a non-loopback interface', () => {
  let serve: ServeProcess;
  let connect: string;
  beforeAll(async () => {
    const addr = await nonLoopbackAddress();
    connect = addr.connect;
    serve = await startServe(['--port', '0', '--host', addr.bind, '--settings-dir', settingsDir]);
  });
  afterAll(async () => serve?.stop());

  it('prints a URL with a generated token', () => {
    expect(serve.url).toMatch(/\?token=[A-Za-z0-9_-]{20,}/);
    expect(serve.output()).toMatch(/token in the URL is required/);
  });

  it('refuses a WebSocket client without the token, or with a wrong one', async () => {
    const u = new URL(serve.url);
    const base = `ws://${connect}:${u.port}/api`;
    expect(await tryConnect(base)).toEqual({ open: false, status: 401 });
    expect(await tryConnect(`${base}?token=wrong-token-123456`)).toEqual({
      open: false,
      status: 401,
    });
    const ok = await tryConnect(`${base}?token=${u.searchParams.get('token')}`);
    expect(ok.open).toBe(true);
    if (ok.open) ok.ws.close();
  });

  it('refuses project media without the token', async () => {
    const u = new URL(serve.url);
    const res = await fetch(`http://${connect}:${u.port}/media/renders/x.mp4`);
    expect(res.status).toBe(401);
  });
});

describe('browser mode on loopback', () => {
  let serve: ServeProcess;
  let ws: WebSocket;
  beforeAll(async () => {
    serve = await startServe(['--port', '0', '--settings-dir', settingsDir]);
    const r = await tryConnect(serve.url.replace('http://', 'ws://').replace(/\/$/, '/api'));
    if (!r.open) throw new Error(`cannot connect: ${r.status}`);
    ws = r.ws;
  });
  afterAll(async () => {
    ws?.close();
    await serve?.stop();
  });

  it('needs no token on 127.0.0.1 but refuses pages of other origins', async () => {
    const api = serve.url.replace('http://', 'ws://') + 'api';
    expect(await tryConnect(api, { origin: 'https://evil.example' })).toEqual({
      open: false,
      status: 403,
    });
    const rebind = await tryConnect(api, { host: 'attacker.example' });
    expect(rebind).toEqual({ open: false, status: 421 });
  });

  it('rejects malformed payloads with clear errors and keeps serving', async () => {
    expect(await call(ws, 'not json')).toMatchObject({
      type: 'error',
      id: null,
      error: { code: 'bad-request', message: 'message is not valid JSON' },
    });
    const noType = await call(ws, JSON.stringify({ id: 1, method: 'app.info' }));
    expect(noType.error?.message).toMatch(/message\.type/);
    const unknown = await call(
      ws,
      JSON.stringify({ type: 'call', id: 2, method: 'fs.readFile', params: {} }),
    );
    expect(unknown).toMatchObject({ id: 2, error: { code: 'unknown-method' } });
    const badParams = await call(
      ws,
      JSON.stringify({
        type: 'call',
        id: 3,
        method: 'projects.create',
        params: { folder: '', name: 'x', size: { width: 'big', height: 512 }, fps: 24 },
      }),
    );
    expect(badParams).toMatchObject({ id: 3, error: { code: 'bad-request' } });
    expect(badParams.error?.message).toMatch(
      /^projects\.create: params\.folder: .*; params\.size\.width: /,
    );
    const extra = await call(
      ws,
      JSON.stringify({
        type: 'call',
        id: 4,
        method: 'settings.update',
        params: { theme: 'dark', recentProjects: [] },
      }),
    );
    expect(extra.error?.message).toMatch(/Unrecognized key.*recentProjects/);
    const badRender = await call(
      ws,
      JSON.stringify({
        type: 'call',
        id: 5,
        method: 'render.start',
        params: { settings: { generator: 'puppet' } },
      }),
    );
    expect(badRender.error?.message).toMatch(/params\.settings\.width/);
    // Still alive and answering properly.
    const ok = await call(
      ws,
      JSON.stringify({ type: 'call', id: 6, method: 'app.info', params: {} }),
    );
    expect(ok).toMatchObject({ type: 'result', id: 6, result: { mode: 'browser' } });
  });

  it('sends the CSP as an HTTP header and as a meta tag', async () => {
    const res = await fetch(serve.url);
    const header = res.headers.get('content-security-policy') ?? '';
    expect(header).toContain("default-src 'self'");
    expect(header).toContain("script-src 'self'");
    expect(header).not.toMatch(/unsafe-eval/);
    expect(header).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;/,
    );
  });

  it('the CSP is enforced in Chromium: an injected inline script does not run', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/.test(m.text())) violations.push(m.text());
      });
      await page.goto(serve.url);
      await page.waitForSelector('[data-testid=studio-ready]');
      const ran = await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      expect(violations.join('\n')).toMatch(/script-src/);
    } finally {
      await browser.close();
    }
  });
});
