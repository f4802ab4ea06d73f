import { describe, expect, it } from 'vitest';
import { DEFAULT_AHISTORIC } from '#shared/editor/editorState';
import { restoreView, viewToStore } from './viewCopy';

const project = { fps: 30, frameCount: 120 };

describe('remembered editor view', () => {
  it('round-trips the view; the project’s fps and frame count win over the copy', () => {
    const view = {
      ...DEFAULT_AHISTORIC,
      fps: 12,
      frameCount: 9999,
      frame: 50,
      dragMode: 'fk' as const,
      showPicture: false,
      stage: { zoom: 2.5, x: -10, y: 30 },
    };
    const stored = viewToStore(view);
    expect(JSON.parse(stored)).not.toHaveProperty('fps');
    expect(JSON.parse(stored)).not.toHaveProperty('frameCount');
    expect(restoreView(stored, project)).toEqual({ ...view, fps: 30, frameCount: 120 });
  });

  it('nothing stored: nothing to restore', () => {
    expect(restoreView(null, project)).toBeNull();
  });

  it('keeps the playhead on a project that became shorter', () => {
    const stored = viewToStore({ ...DEFAULT_AHISTORIC, frame: 500 });
    expect(restoreView(stored, project)!.frame).toBe(119);
  });

  it('an unreadable copy opens with the defaults; one bad field loses only itself', () => {
    for (const junk of ['{not json', 'null', '42', '[]', '"x"'])
      expect(restoreView(junk, project)).toEqual({ ...DEFAULT_AHISTORIC, ...project });
    const oneBad = JSON.stringify({
      ...JSON.parse(viewToStore({ ...DEFAULT_AHISTORIC, dragMode: 'free', frame: 7 })),
      stage: { zoom: -1, x: 0, y: 0 },
      rulerUnit: 'parsecs',
    });
    const r = restoreView(oneBad, project)!;
    expect(r.dragMode).toBe('free');
    expect(r.frame).toBe(7);
    expect(r.stage).toEqual(DEFAULT_AHISTORIC.stage);
    expect(r.rulerUnit).toBe(DEFAULT_AHISTORIC.rulerUnit);
  });
});
