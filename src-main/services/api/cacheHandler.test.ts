import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ApiService } from './apiService';
import { projectStoreAdapter } from './projectAdapter';

const root = mkdtempSync(join(tmpdir(), 'ps-api-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SAMPLE = join(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');

describe('API cache.usage', () => {
  it("reports the open project's cache by kind with the settings' limit, validated", async () => {
    const settings = new SettingsService(memorySettingsBackend());
    const api = new ApiService({
      mode: 'browser',
      version: '0',
      platform: 'linux',
      settings,
      shell: { openFolder: async () => false },
      projects: projectStoreAdapter(),
    });
    await expect(api.call('cache.usage', {})).rejects.toSatisfy(
      (e) => e instanceof ApiError && e.code === 'no-project',
    );
    const project = join(root, 'p');
    cpSync(SAMPLE, project, { recursive: true });
    const h = 'ab'.repeat(16);
    mkdirSync(join(project, 'cache', 'segments', 'ab'), { recursive: true });
    writeFileSync(join(project, 'cache', 'segments', 'ab', `${h}.seg`), new Uint8Array(1234));
    await api.call('projects.open', { folder: project });
    await api.call('settings.update', { segmentCacheLimitGB: 3 });
    expect(await api.call('cache.usage', {})).toEqual({
      folder: join(project, 'cache'),
      files: 1,
      bytes: 1234,
      byKind: {
        segments: { files: 1, bytes: 1234 },
        diffusionBanks: { files: 0, bytes: 0 },
        temp: { files: 0, bytes: 0 },
      },
      limitBytes: 3 * 1024 ** 3,
    });
    await expect(api.call('settings.update', { segmentCacheLimitGB: 0 })).rejects.toThrow(
      /segmentCacheLimitGB/,
    );
    await api.close();
  });
});
