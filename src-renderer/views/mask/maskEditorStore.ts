/**
 * The mask being edited in the Character view, shared by the overlay on the picture (where the
 * brush paints) and the Mask card (tools, Auto, Save): the working mask, what the project uses
 * (for Reset and "unsaved"), the brush, and the undo steps. Plain bytes, one per picture pixel.
 */
import { create } from 'zustand';
import { type BrushDab, type MaskRect, paintStroke } from '#shared/mask/maskBrush';
import {
  type MaskHistory,
  emptyHistory,
  record,
  redoMask,
  undoMask,
} from '#shared/mask/maskHistory';

export const MASK_TOOLS = ['off', 'add', 'erase'] as const;
export type MaskTool = (typeof MASK_TOOLS)[number];

interface MaskEditorState {
  width: number;
  height: number;
  /** The mask being edited (null: none loaded yet). */
  mask: Uint8Array | null;
  /** The mask the project's character uses now (as last checked or saved). */
  saved: Uint8Array | null;
  history: MaskHistory;
  tool: MaskTool;
  /** Brush radius in picture pixels. */
  radius: number;
  /** Bumped on every whole-mask change: the overlay redraws all of it. */
  revision: number;
  /** The working mask differs from the saved one. */
  dirty: boolean;
  /** The mask the project uses, freshly checked: editing starts over from it. */
  loadSaved(mask: Uint8Array, width: number, height: number): void;
  /** Replaces the working mask as one undoable step (Auto, an imported file). */
  replace(label: string, mask: Uint8Array): void;
  /** The working mask is now what the project uses (after Save). */
  markSaved(): void;
  /** Starts a brush stroke (one undo step for the whole drag). */
  beginStroke(): void;
  /** Paints one piece of the current stroke; returns what it touched. */
  paint(from: BrushDab, to: BrushDab): MaskRect;
  undo(): string | null;
  redo(): string | null;
  /** Back to the mask the project uses (undoable). */
  reset(): void;
  setTool(tool: MaskTool): void;
  setRadius(radius: number): void;
  /** A new picture: nothing loaded. */
  clear(): void;
}

function same(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (!a || !b || a.length !== b.length) return a === b;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A brush about 1/40 of the picture's long side: a limb's width on a full-body photo. */
export function defaultRadius(width: number, height: number): number {
  return Math.max(2, Math.round(Math.max(width, height) / 40));
}

export const useMaskEditor = create<MaskEditorState>((set, get) => {
  /** One step back (undoMask) or forward (redoMask) in the history; its label, or null. */
  const walk = (step: typeof undoMask): string | null => {
    const s = get();
    const next = s.mask ? step(s.history, s.mask) : null;
    if (!next) return null;
    set({
      mask: next.mask,
      history: next.history,
      revision: s.revision + 1,
      dirty: !same(next.mask, s.saved),
    });
    return next.label;
  };
  return {
    width: 0,
    height: 0,
    mask: null,
    saved: null,
    history: emptyHistory(),
    tool: 'off',
    radius: 8,
    revision: 0,
    dirty: false,
    loadSaved: (mask, width, height) =>
      set((s) => {
        const sameSize = s.width === width && s.height === height && s.mask !== null;
        return {
          width,
          height,
          mask: mask.slice(),
          saved: mask,
          // A check of the same picture keeps the undo steps (undo after Save still works).
          history: sameSize ? record(s.history, 'Check mask', s.mask!) : emptyHistory(),
          radius: sameSize ? s.radius : defaultRadius(width, height),
          revision: s.revision + 1,
          dirty: false,
        };
      }),
    replace: (label, mask) =>
      set((s) => {
        if (!s.mask || mask.length !== s.mask.length) return {};
        return {
          mask: mask.slice(),
          history: record(s.history, label, s.mask),
          revision: s.revision + 1,
          dirty: !same(mask, s.saved),
        };
      }),
    markSaved: () => set((s) => ({ saved: s.mask ? s.mask.slice() : null, dirty: false })),
    beginStroke: () =>
      set((s) =>
        s.mask ? { history: record(s.history, 'Brush', s.mask.slice()), dirty: true } : {},
      ),
    paint: (from, to) => {
      const s = get();
      if (!s.mask || s.tool === 'off') return { x0: 0, y0: 0, x1: 0, y1: 0 };
      return paintStroke(s.mask, s.width, s.height, from, to, s.radius, s.tool === 'add' ? 1 : 0);
    },
    undo: () => walk(undoMask),
    redo: () => walk(redoMask),
    reset: () => {
      const s = get();
      if (s.saved) get().replace('Reset', s.saved);
    },
    setTool: (tool) => set({ tool }),
    setRadius: (radius) =>
      set((s) => ({
        radius: Number.isFinite(radius)
          ? Math.max(1, Math.min(4096, Math.round(radius)))
          : s.radius,
      })),
    clear: () =>
      set((s) => ({
        mask: null,
        saved: null,
        history: emptyHistory(),
        tool: 'off',
        revision: s.revision + 1,
        dirty: false,
      })),
  };
});
