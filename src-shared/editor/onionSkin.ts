import type { Keyframe } from '#shared/pose/types';
import { lowerBound } from './commands';

/** Ghosts of neighbouring poses drawn behind the current one. */
export const ONION_SKIN_MODES = ['frames', 'keyframes'] as const;
export type OnionSkinMode = (typeof ONION_SKIN_MODES)[number];

export interface OnionSkinSettings {
  enabled: boolean;
  before: number;
  after: number;
  /** `frames`: every `step` frames around the playhead; `keyframes`: the neighbouring keys. */
  mode: OnionSkinMode;
  step: number;
  colorBefore: string;
  colorAfter: string;
  /** Opacity of the nearest ghost; farther ghosts fade linearly. */
  opacity: number;
}

export const DEFAULT_ONION_SKIN: OnionSkinSettings = {
  enabled: false,
  before: 2,
  after: 2,
  mode: 'frames',
  step: 5,
  colorBefore: '#ff5577',
  colorAfter: '#55c8ff',
  opacity: 0.45,
};

export interface OnionGhost {
  frame: number;
  side: 'before' | 'after';
  /** 1 for the nearest ghost on its side. */
  distance: number;
  opacity: number;
  color: string;
}

/** Which frames to draw as ghosts around `frame`, farthest first so the nearest paint on top. */
export function onionSkinFrames(
  frame: number,
  s: OnionSkinSettings,
  frameCount: number,
  keys: readonly Keyframe[] = [],
): OnionGhost[] {
  if (!s.enabled) return [];
  const before: number[] = [];
  const after: number[] = [];
  if (s.mode === 'frames') {
    const step = Math.max(1, Math.round(s.step));
    for (let d = 1; d <= s.before; d++) if (frame - d * step >= 0) before.push(frame - d * step);
    for (let d = 1; d <= s.after; d++)
      if (frame + d * step < frameCount) after.push(frame + d * step);
  } else {
    const i = lowerBound(keys, frame);
    const atKey = keys[i]?.frame === frame;
    for (let d = 0; d < s.before && i - 1 - d >= 0; d++) before.push(keys[i - 1 - d]!.frame);
    const firstAfter = atKey ? i + 1 : i;
    for (let d = 0; d < s.after && firstAfter + d < keys.length; d++)
      after.push(keys[firstAfter + d]!.frame);
  }
  const ghost = (f: number, k: number, side: 'before' | 'after', n: number): OnionGhost => ({
    frame: f,
    side,
    distance: k + 1,
    opacity: s.opacity * (1 - k / Math.max(n, 1)),
    color: side === 'before' ? s.colorBefore : s.colorAfter,
  });
  const out = [
    ...before.map((f, k) => ghost(f, k, 'before', before.length)),
    ...after.map((f, k) => ghost(f, k, 'after', after.length)),
  ];
  return out.sort((a, b) => b.distance - a.distance);
}
