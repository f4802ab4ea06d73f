import { describe, expect, it, vi } from 'vitest';

// Electron cannot run here: the bridge is tested against a stand-in ipcMain with the same API.
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { bridgeIpc } = await import('./ipcBridge');
const { ApiService } = await import('#main/services/api/apiService');
const { SettingsService, memorySettingsBackend } =
  await import('#main/services/settings/settingsService');
const { IPC_EVENT, IPC_INVOKE } = await import('#shared/api/index');

function setup() {
  const service = new ApiService({
    mode: 'electron',
    version: '9.9.9',
    platform: 'linux',
    settings: new SettingsService(memorySettingsBackend()),
    shell: { openFolder: async () => true },
  });
  const sent: unknown[][] = [];
  const window = { isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) };
  const trusted = { sender: { id: 1 } };
  const stop = bridgeIpc(
    service,
    (e) => (e as typeof trusted).sender.id === 1,
    () => [window as never],
  );
  const invoke = (event: unknown, method: unknown, params: unknown) =>
    handlers.get(IPC_INVOKE)!(event, method, params);
  return { service, sent, trusted, invoke, stop };
}

describe('IPC bridge', () => {
  it('answers a valid call from the studio window', async () => {
    const { invoke, trusted, stop } = setup();
    expect(await invoke(trusted, 'app.info', {})).toMatchObject({
      ok: true,
      result: { mode: 'electron', version: '9.9.9' },
    });
    stop();
  });

  it('refuses an untrusted sender before anything runs', async () => {
    const { invoke, stop } = setup();
    expect(
      await invoke({ sender: { id: 2 } }, 'settings.update', { theme: 'light' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    stop();
  });

  it('validates payloads with the contract', async () => {
    const { invoke, trusted, service, stop } = setup();
    const r = (await invoke(trusted, 'settings.update', { theme: 'purple' })) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('bad-request');
    expect(r.error.message).toMatch(/settings\.update: params\.theme/);
    expect((await invoke(trusted, 'shell.exec', { cmd: 'rm' })) as object).toMatchObject({
      error: { code: 'unknown-method' },
    });
    expect(service.settings.get().theme).toBe('dark');
    stop();
    expect(handlers.has(IPC_INVOKE)).toBe(false);
  });

  it('forwards service events to the window', () => {
    const { service, sent, stop } = setup();
    service.emit('ui.command', { command: 'show-render' });
    expect(sent).toEqual([[IPC_EVENT, 'ui.command', { command: 'show-render' }]]);
    stop();
  });
});
