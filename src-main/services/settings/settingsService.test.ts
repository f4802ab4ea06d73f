import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confSettingsBackend } from './confBackend';
import { SettingsService, memorySettingsBackend } from './settingsService';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SettingsService', () => {
  it('starts from defaults: dark theme, auto provider', () => {
    const s = new SettingsService(memorySettingsBackend()).get();
    expect(s.theme).toBe('dark');
    expect(s.executionProvider).toBe('auto');
    expect(s.recentProjects).toEqual([]);
  });

  it('keeps valid fields and resets invalid ones from a damaged file', () => {
    const s = new SettingsService(
      memorySettingsBackend({ theme: 'light', executionProvider: 'quantum', modelPackFolders: 7 }),
    ).get();
    expect(s.theme).toBe('light');
    expect(s.executionProvider).toBe('auto');
    expect(s.modelPackFolders).toEqual([]);
  });

  it('rejects an invalid patch naming the field, and changes nothing', () => {
    const svc = new SettingsService(memorySettingsBackend());
    expect(() => svc.update({ executionProvider: 'gpu' as never })).toThrow(
      /patch\.executionProvider/,
    );
    expect(() => svc.update({ recentProjects: [] } as never)).toThrow(/Unrecognized key/);
    expect(svc.get().executionProvider).toBe('auto');
  });

  it('keeps recent projects most recent first, without duplicates', () => {
    const svc = new SettingsService(memorySettingsBackend());
    svc.rememberProject({ path: '/a', name: 'A' });
    svc.rememberProject({ path: '/b', name: 'B' });
    svc.rememberProject({ path: '/a', name: 'A' });
    expect(svc.get().recentProjects.map((r) => r.path)).toEqual(['/a', '/b']);
  });

  it('persists through conf with the same schema', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ps-settings-'));
    dirs.push(cwd);
    new SettingsService(confSettingsBackend({ cwd })).update({ ffmpegPath: '/opt/ffmpeg' });
    const file = JSON.parse(readFileSync(join(cwd, 'settings.json'), 'utf8'));
    expect(file.settings.ffmpegPath).toBe('/opt/ffmpeg');
    expect(new SettingsService(confSettingsBackend({ cwd })).get().ffmpegPath).toBe('/opt/ffmpeg');
    writeFileSync(join(cwd, 'settings.json'), JSON.stringify({ settings: { theme: 42 } }));
    expect(new SettingsService(confSettingsBackend({ cwd })).get().theme).toBe('dark');
  });

  it('memoryBudgetGB: auto by default, off or GB kept, broken values fall back to auto', () => {
    expect(new SettingsService(memorySettingsBackend()).get().memoryBudgetGB).toBe('auto');
    const svc = new SettingsService(memorySettingsBackend());
    expect(svc.update({ memoryBudgetGB: 'off' }).memoryBudgetGB).toBe('off');
    expect(svc.update({ memoryBudgetGB: 6 }).memoryBudgetGB).toBe(6);
    expect(() => svc.update({ memoryBudgetGB: -2 })).toThrow(/memoryBudgetGB/);
    for (const bad of [1e308, 'NaN', -1, [], { gb: 2 }])
      expect(
        new SettingsService(memorySettingsBackend({ memoryBudgetGB: bad, theme: 'light' })).get(),
      ).toMatchObject({ memoryBudgetGB: 'auto', theme: 'light' });
  });
});
