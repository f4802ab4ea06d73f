import { describe, expect, it } from 'vitest';
import type { PoseStudioBridge } from '#shared/api/index';
import { IpcClient } from './ipcClient';

/** The preload bridge as main would drive it: replies from a function, events pushed. */
function bridge(reply: (method: string, params: unknown) => unknown) {
  let push: (event: string, payload: unknown) => void = () => undefined;
  const b: PoseStudioBridge = {
    invoke: (method, params) => Promise.resolve(reply(method, params)),
    subscribe: (listener) => {
      push = listener;
      return () => undefined;
    },
    mediaScheme: 'pose-studio-media',
  };
  return { b, push: (event: string, payload: unknown) => push(event, payload) };
}

describe('desktop API client', () => {
  it('returns the result of an ok reply and passes the method and params through', async () => {
    const calls: unknown[] = [];
    const { b } = bridge((method, params) => {
      calls.push([method, params]);
      return { ok: true, result: { version: '1.0.0' } };
    });
    await expect(new IpcClient(b).call('app.info', {})).resolves.toEqual({ version: '1.0.0' });
    expect(calls).toEqual([['app.info', {}]]);
  });

  it('an error reply becomes an ApiError with its code and hint', async () => {
    const { b } = bridge(() => ({
      ok: false,
      error: { code: 'not-found', message: 'no job "j9"', hint: 'Refresh the queue.' },
    }));
    await expect(new IpcClient(b).call('render.cancel', { jobId: 'j9' })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'not-found',
      message: 'no job "j9"',
      hint: 'Refresh the queue.',
    });
  });

  it('a reply it cannot read is an error in words, never a TypeError', async () => {
    for (const reply of [
      { ok: false, error: 'boom' },
      { ok: false, error: { code: 'no-such-code', message: 'x' } },
      undefined,
      null,
      'ok',
      42,
      { result: 1 },
    ]) {
      const { b } = bridge(() => reply);
      const e = await new IpcClient(b).call('app.info', {}).catch((x: unknown) => x);
      expect(e).toMatchObject({ name: 'ApiError', code: 'internal' });
      expect((e as Error).message).toMatch(/^unreadable (error|reply) from main$/);
    }
  });

  it('delivers known events to their listeners, ignores unknown ones, stops after unsubscribe', () => {
    const { b, push } = bridge(() => undefined);
    const c = new IpcClient(b);
    const seen: unknown[] = [];
    const off = c.on('ui.command', (p) => seen.push(p));
    push('ui.command', { command: 'show-render' });
    push('ui.unknown', { command: 'x' });
    push('render.job', { id: 'j1' });
    off();
    push('ui.command', { command: 'show-editor' });
    expect(seen).toEqual([{ command: 'show-render' }]);
  });

  it('media URLs use the app’s own scheme, each path part escaped', () => {
    const c = new IpcClient(bridge(() => undefined).b);
    expect(c.mediaUrl('assets/hero.png')).toBe('pose-studio-media://project/assets/hero.png');
    expect(c.mediaUrl('renders/my film #1?.mp4', 'j 1')).toBe(
      'pose-studio-media://project/renders/my%20film%20%231%3F.mp4?v=j%201',
    );
  });
});
