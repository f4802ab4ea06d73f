/**
 * Undo and redo of the mask being edited: each step keeps the whole mask before it (plain bytes,
 * one per picture pixel), so any edit — a brush stroke, Auto, an imported file, Reset — is one
 * step back. A byte budget bounds the memory: a 4096² mask is 16 MB, so such a picture keeps
 * fewer steps than a small photo, but always at least two.
 */

export interface MaskStep {
  label: string;
  mask: Uint8Array;
}

export interface MaskHistory {
  past: MaskStep[];
  future: MaskStep[];
}

/** Memory the undo steps of one mask may hold (bytes). */
export const MASK_HISTORY_BYTES = 256 * 1024 * 1024;

export function emptyHistory(): MaskHistory {
  return { past: [], future: [] };
}

function trim(steps: MaskStep[], keep: number): MaskStep[] {
  return steps.length > keep ? steps.slice(steps.length - keep) : steps;
}

/** How many steps a mask of `bytes` keeps. */
export function stepLimit(bytes: number, budget = MASK_HISTORY_BYTES): number {
  return Math.max(2, Math.floor(budget / Math.max(1, bytes)));
}

/** Records that `before` was replaced (by `label`); the redo steps are dropped. */
export function record(h: MaskHistory, label: string, before: Uint8Array): MaskHistory {
  const past = trim([...h.past, { label, mask: before }], stepLimit(before.length));
  return { past, future: [] };
}

/** The mask before the last step, or null; `current` becomes the first redo step. */
export function undoMask(
  h: MaskHistory,
  current: Uint8Array,
): { mask: Uint8Array; label: string; history: MaskHistory } | null {
  const step = h.past[h.past.length - 1];
  if (!step) return null;
  return {
    mask: step.mask,
    label: step.label,
    history: {
      past: h.past.slice(0, -1),
      future: [{ label: step.label, mask: current }, ...h.future],
    },
  };
}

/** The mask the last undo took back, or null. */
export function redoMask(
  h: MaskHistory,
  current: Uint8Array,
): { mask: Uint8Array; label: string; history: MaskHistory } | null {
  const step = h.future[0];
  if (!step) return null;
  return {
    mask: step.mask,
    label: step.label,
    history: { past: [...h.past, { label: step.label, mask: current }], future: h.future.slice(1) },
  };
}
