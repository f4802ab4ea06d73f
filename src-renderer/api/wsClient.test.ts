import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '#shared/api/errors';
import { CLOSE_TOO_BIG } from '#shared/api/sizeLimits';
import { WebSocketClient } from './wsClient';

/** A WebSocket stand-in the test drives: open, messages from the host, close codes. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: URL) {
    FakeSocket.made.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
  close(code: number): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code });
  }
}
const last = () => FakeSocket.made.at(-1)!;
const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  FakeSocket.made = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function client(search = '') {
  return WebSocketClient.fromLocation({
    href: `http://127.0.0.1:5170/${search}`,
    search,
  } as Location);
}

async function connected(search = '') {
  const c = client(search);
  const pending = c.call('app.info', {});
  last().open();
  await flush();
  return { c, pending, socket: last() };
}

describe('browser-mode API client', () => {
  it('connects to /api on the page’s host, with the token of the page’s URL', async () => {
    const { socket } = await connected('?token=s3cr%C3%A9t');
    expect(socket.url.protocol).toBe('ws:');
    expect(socket.url.host).toBe('127.0.0.1:5170');
    expect(socket.url.pathname).toBe('/api');
    expect(socket.url.searchParams.get('token')).toBe('s3crét');
  });

  it('answers each call with its own result, whatever order the replies come in', async () => {
    const { c, pending, socket } = await connected();
    const second = c.call('settings.get', {});
    await flush();
    const [a, b] = socket.sent as { id: number; method: string }[];
    expect([a!.method, b!.method]).toEqual(['app.info', 'settings.get']);
    socket.receive({ type: 'result', id: b!.id, result: 'settings' });
    socket.receive({ type: 'result', id: a!.id, result: 'info' });
    await expect(pending).resolves.toBe('info');
    await expect(second).resolves.toBe('settings');
  });

  it('an error reply becomes an ApiError with its hint; an unreadable one says so', async () => {
    const { c, pending, socket } = await connected();
    const second = c.call('settings.get', {});
    await flush();
    const [a, b] = socket.sent as { id: number }[];
    socket.receive({
      type: 'error',
      id: a!.id,
      error: { code: 'no-project', message: 'no project is open', hint: 'Open one.' },
    });
    socket.receive({ type: 'error', id: b!.id, error: { code: 'teapot', message: 1 } });
    await expect(pending).rejects.toMatchObject({
      code: 'no-project',
      message: 'no project is open',
      hint: 'Open one.',
    });
    await expect(second).rejects.toMatchObject({
      code: 'internal',
      message: 'unreadable reply from the studio host',
    });
  });

  it('ignores frames it cannot use and keeps working', async () => {
    const { pending, socket } = await connected();
    const id = (socket.sent[0] as { id: number }).id;
    for (const junk of [
      '{not json',
      'null',
      '5',
      '"text"',
      '[]',
      { type: 'result', id: 999, result: 'for nobody' },
      { type: 'result', id: String(id), result: 'id as a string' },
      { type: 'event', event: 'no.such.event', payload: {} },
      { type: 'event', event: 42 },
    ])
      expect(() => socket.receive(junk)).not.toThrow();
    socket.receive({ type: 'result', id, result: 'info' });
    await expect(pending).resolves.toBe('info');
  });

  it('delivers events to their listeners until they unsubscribe', async () => {
    const { c, socket } = await connected();
    const seen: unknown[] = [];
    const off = c.on('render.progress', (p) => seen.push(p));
    socket.receive({ type: 'event', event: 'render.progress', payload: { jobId: 'j1' } });
    socket.receive({ type: 'event', event: 'render.job', payload: { id: 'other' } });
    off();
    socket.receive({ type: 'event', event: 'render.progress', payload: { jobId: 'j2' } });
    expect(seen).toEqual([{ jobId: 'j1' }]);
  });

  it('a lost connection fails the calls in flight in words, then reconnects by itself', async () => {
    vi.useFakeTimers();
    const { c, pending, socket } = await (async () => {
      const cl = client();
      const p = cl.call('app.info', {});
      last().open();
      await vi.advanceTimersByTimeAsync(0);
      return { c: cl, pending: p, socket: last() };
    })();
    const states: boolean[] = [];
    c.onConnection((up) => states.push(up));
    socket.close(1006);
    await expect(pending).rejects.toMatchObject({
      code: 'unavailable',
      message: 'lost the connection to the studio host',
    });
    expect(states).toEqual([false]);
    expect(FakeSocket.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(2);
    last().open();
    expect(states).toEqual([false, true]);
  });

  it('a message over the host’s limit is reported as too large, not as a lost host', async () => {
    const { pending, socket } = await connected();
    socket.close(CLOSE_TOO_BIG);
    const e = await pending.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toMatch(/^the message was too large .*over \d+ MB/);
    expect((e as ApiError).hint).toMatch(/smaller picture/);
  });

  it('cannot connect: the hint depends on whether the page has a token', async () => {
    for (const [search, hint] of [
      ['', /Start `pose-studio serve` and open the URL it prints/],
      ['?token=t', /token in the URL is the one it printed/],
    ] as const) {
      const pending = client(search).call('app.info', {});
      last().close(1006);
      await expect(pending).rejects.toMatchObject({
        code: 'unavailable',
        message: 'cannot connect to the studio host',
        hint: expect.stringMatching(hint),
      });
    }
  });

  it('media URLs are project paths under /media/, escaped, with the token and version', () => {
    expect(client().mediaUrl('assets/hero.png')).toBe('/media/assets/hero.png');
    expect(client('?token=a b').mediaUrl('renders/my film #1?.mp4', 3)).toBe(
      '/media/renders/my%20film%20%231%3F.mp4?token=a+b&v=3',
    );
    expect(client().mediaUrl('assets/héros.png', 'x&y')).toBe(
      '/media/assets/h%C3%A9ros.png?v=x%26y',
    );
  });
});
