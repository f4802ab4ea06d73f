import { afterEach, describe, expect, it, vi } from 'vitest';
import { twoPeopleTrack } from '#shared/editor/samplePose';
import { trackToJson } from '#shared/editor/trackJson';
import {
  browserStorage,
  clearRecovery,
  readRecovery,
  recoveryBannerText,
  writeRecovery,
  type KeyValueStorage,
} from './recovery';

function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('crash recovery copy', () => {
  it('gives back exactly the unsaved track, and nothing once cleared', () => {
    const st = memoryStorage();
    const t = twoPeopleTrack();
    writeRecovery(st, 'proj-1', t, 7);
    const r = readRecovery(st, 'proj-1')!;
    expect(r.revision).toBe(7);
    expect(JSON.stringify(trackToJson(r.track))).toBe(JSON.stringify(trackToJson(t)));
    expect(readRecovery(st, 'other')).toBeNull();
    clearRecovery(st, 'proj-1');
    expect(readRecovery(st, 'proj-1')).toBeNull();
  });

  it('refuses a damaged copy with a reason', () => {
    const st = memoryStorage();
    st.setItem('pose-studio.editor.recovery.p', '{not json');
    expect(() => readRecovery(st, 'p')).toThrow(/not valid JSON/);
    st.setItem(
      'pose-studio.editor.recovery.p',
      JSON.stringify({ version: 1, savedAt: 'x', revision: 1, track: { width: -1 } }),
    );
    expect(() => readRecovery(st, 'p')).toThrow(/invalid pose track/);
  });
});

describe('crash recovery copy: damaged and hostile copies', () => {
  afterEach(() => vi.unstubAllGlobals());
  const KEY = 'pose-studio.editor.recovery.p';
  const good = () => trackToJson(twoPeopleTrack());

  it('keeps the edits of a copy whose date is unreadable, and says it is from earlier', () => {
    const st = memoryStorage();
    st.setItem(
      KEY,
      JSON.stringify({ version: 1, savedAt: 'yesterday-ish', revision: 3, track: good() }),
    );
    const r = readRecovery(st, 'p')!;
    expect(r.savedAt).toBeNull();
    expect(r.track.people).toHaveLength(2);
    expect(recoveryBannerText(r)).toBe(
      'Unsaved edits from an earlier session were found (the editor closed before saving them).',
    );
    expect(recoveryBannerText({ ...r, savedAt: new Date(Date.UTC(2026, 11, 6, 21)) })).toMatch(
      /^Unsaved edits from .*2026.* were found/,
    );
  });

  it('refuses copies of another layout, version or shape with the reason, never a TypeError', () => {
    const st = memoryStorage();
    for (const raw of [
      'null',
      '[]',
      '"text"',
      JSON.stringify({ version: 2, savedAt: 'x', revision: 1, track: good() }),
      JSON.stringify({ version: 1, savedAt: 'x', revision: 1.5, track: good() }),
      JSON.stringify({ version: 1, savedAt: 5, revision: 1, track: good() }),
    ]) {
      st.setItem(KEY, raw);
      expect(() => readRecovery(st, 'p')).toThrow(/unknown layout/);
    }
    st.setItem(KEY, JSON.stringify({ version: 1, savedAt: 'x', revision: 1, track: null }));
    expect(() => readRecovery(st, 'p')).toThrow(/invalid pose track/);
    st.setItem(KEY, JSON.stringify({ version: 1, savedAt: 'x', revision: 1 }));
    expect(() => readRecovery(st, 'p')).toThrow(/unsaved edits|pose track/);
  });

  it('copies are per project: writing one never touches another project’s copy', () => {
    const st = memoryStorage();
    writeRecovery(st, 'a', twoPeopleTrack(), 1);
    writeRecovery(st, 'b', twoPeopleTrack(), 9);
    clearRecovery(st, 'a');
    expect(readRecovery(st, 'a')).toBeNull();
    expect(readRecovery(st, 'b')!.revision).toBe(9);
  });

  it('a browser that refuses storage gives no storage instead of an error', () => {
    expect(browserStorage()).toBeUndefined(); // Node: there is none
    const fake = memoryStorage();
    vi.stubGlobal('localStorage', fake);
    expect(browserStorage()).toBe(fake);
    // site data blocked: reading `localStorage` itself throws a SecurityError
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: The operation is insecure.');
      },
    });
    expect(() => browserStorage()).not.toThrow();
    expect(browserStorage()).toBeUndefined();
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });
});
