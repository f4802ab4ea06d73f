import { describe, expect, it } from 'vitest';
import { twoPeopleTrack } from '#shared/editor/samplePose';
import { trackToJson } from '#shared/editor/trackJson';
import { clearRecovery, readRecovery, writeRecovery, type KeyValueStorage } from './recovery';

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
