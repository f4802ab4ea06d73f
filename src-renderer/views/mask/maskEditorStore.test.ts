import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRadius, useMaskEditor } from './maskEditorStore';

const W = 20;
const H = 10;
const store = () => useMaskEditor.getState();
const area = () => store().mask!.reduce((n, v) => n + v, 0);

beforeEach(() => {
  store().clear();
  store().loadSaved(new Uint8Array(W * H), W, H);
});

describe('the mask being edited', () => {
  it('starts from the project mask, unsaved only after an edit', () => {
    expect(store().dirty).toBe(false);
    expect(store().radius).toBe(defaultRadius(W, H));
    store().setTool('add');
    store().beginStroke();
    store().paint({ x: 5, y: 5 }, { x: 15, y: 5 });
    expect(area()).toBeGreaterThan(10);
    expect(store().dirty).toBe(true);
  });

  it('paints nothing with no brush chosen (the pointer belongs to the skeleton)', () => {
    store().setTool('off');
    store().beginStroke();
    store().paint({ x: 5, y: 5 }, { x: 15, y: 5 });
    expect(area()).toBe(0);
  });

  it('undoes a stroke, Auto and Reset as steps, and knows when it is back to the saved mask', () => {
    store().setTool('add');
    store().beginStroke();
    store().paint({ x: 5, y: 5 }, { x: 5, y: 5 });
    const painted = area();
    const auto = new Uint8Array(W * H).fill(1);
    store().replace('Auto', auto);
    expect(area()).toBe(W * H);
    expect(store().undo()).toBe('Auto');
    expect(area()).toBe(painted);
    expect(store().undo()).toBe('Brush');
    expect(area()).toBe(0);
    expect(store().dirty).toBe(false);
    expect(store().redo()).toBe('Brush');
    store().reset();
    expect(area()).toBe(0);
    expect(store().dirty).toBe(false);
    expect(store().undo()).toBe('Reset');
    expect(area()).toBe(painted);
  });

  it('after Save the saved mask is the edited one; a mask of another size is refused', () => {
    store().setTool('erase');
    store().replace('Auto', new Uint8Array(W * H).fill(1));
    store().markSaved();
    expect(store().dirty).toBe(false);
    store().replace('Import', new Uint8Array(3));
    expect(area()).toBe(W * H);
    store().setRadius(1e9);
    expect(store().radius).toBe(4096);
    store().setRadius(-5);
    expect(store().radius).toBe(1);
    store().setRadius(NaN);
    expect(store().radius).toBe(1);
  });
});
