import {
  BODY,
  FACE,
  FEET,
  LEFT_HAND,
  POINT_NAMES,
  RIGHT_HAND,
  partOf,
} from '#shared/pose/skeleton';
import type { PartName } from '#shared/pose/skeleton';
import type { PartVisibility, PointRef } from './editorState';

/**
 * Joints by keyboard on the focused pose canvas: `]` / `[` choose the next / previous drawn joint,
 * the arrow keys move the chosen joint (Shift: 10 px), each press-and-release one undo step like a
 * drag. Tab is left alone so focus can always leave the canvas. Pure: the renderer's
 * `useJointKeyboard` listens on the canvas and applies these to the editor store.
 */
/** The canvas's label, and what it says when it gets focus with no joint chosen. */
export const CANVAS_HINT = 'Pose canvas: press ] or [ to choose a joint, arrow keys to move it.';

export type JointKeyAction =
  { kind: 'next' } | { kind: 'previous' } | { kind: 'nudge'; dx: number; dy: number };

/** One arrow press moves a joint by this many pose pixels; with Shift, by the larger step. */
export const NUDGE_STEP_PX = 1;
export const NUDGE_SHIFT_STEP_PX = 10;

/** The parts of a KeyboardEvent read here. */
export interface JointKeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey?: boolean;
}

// A Map, not an object: a key named "toString" must not find a direction.
const ARROWS = new Map<string, readonly [number, number]>([
  ['ArrowLeft', [-1, 0]],
  ['ArrowRight', [1, 0]],
  ['ArrowUp', [0, -1]],
  ['ArrowDown', [0, 1]],
]);

export function jointKeyAction(e: JointKeyPress): JointKeyAction | null {
  // Ctrl/Cmd/Alt combinations belong to the editor's shortcuts and the menus.
  if (typeof e.key !== 'string' || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === ']') return { kind: 'next' };
  if (e.key === '[') return { kind: 'previous' };
  const arrow = ARROWS.get(e.key);
  if (!arrow) return null;
  const step = e.shiftKey ? NUDGE_SHIFT_STEP_PX : NUDGE_STEP_PX;
  return { kind: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
}

export function isArrowKey(key: string): boolean {
  return ARROWS.has(key);
}

/** Which visibility toggle of the stage a part of the skeleton answers to. */
export const PART_TOGGLE: Readonly<Record<PartName, keyof PartVisibility>> = {
  body: 'body',
  feet: 'feet',
  face: 'face',
  leftHand: 'hands',
  rightHand: 'hands',
};

/** Body first, then feet, hands and the 70 face points: the order `]` walks through. */
const WALK_ORDER = [BODY, FEET, LEFT_HAND, RIGHT_HAND, FACE].flatMap((r) =>
  Array.from({ length: r.count }, (_, i) => r.start + i),
);

/**
 * The joints the stage draws (and so can be chosen), person by person in walk order: a point of
 * a shown part that is placed (confidence > 0, or a hidden point left where it was).
 */
export function drawnJoints(
  people: readonly { personId: number; points: ArrayLike<number> | undefined }[],
  parts: PartVisibility,
): PointRef[] {
  const out: PointRef[] = [];
  for (const { personId, points } of people) {
    if (!points) continue;
    for (const index of WALK_ORDER) {
      if (!parts[PART_TOGGLE[partOf(index)]]) continue;
      const x = points[index * 3];
      const y = points[index * 3 + 1];
      const c = points[index * 3 + 2];
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(c)) continue;
      if (c! > 0 || x !== 0 || y !== 0) out.push({ personId, index });
    }
  }
  return out;
}

/** The joint after (or before) `current` in `order`, wrapping around; the first/last if none. */
export function stepJoint(
  order: readonly PointRef[],
  current: PointRef | undefined,
  direction: 1 | -1,
): PointRef | undefined {
  if (order.length === 0) return undefined;
  const at = current
    ? order.findIndex((r) => r.personId === current.personId && r.index === current.index)
    : -1;
  if (at < 0) return direction === 1 ? order[0] : order[order.length - 1];
  return order[(at + direction + order.length) % order.length];
}

const SIDE: Record<string, string> = { l: 'left', r: 'right' };

/** A point's name as a screen reader says it: "right wrist", "left hand thumb 2", "face point 7". */
export function spokenJointName(index: number): string {
  const id = POINT_NAMES[index];
  if (id === undefined) return `point ${index}`;
  const words = id.split('_').map((w) => SIDE[w] ?? w);
  if (words[0] === 'face' && /^\d+$/.test(words[1] ?? '')) return `face point ${words[1]}`;
  if (words[0] === 'face') return words.slice(1).join(' ');
  return words.join(' ');
}

/**
 * What the canvas announces for a chosen joint: its name (with the person when there are
 * several), whether it is hidden, and where it is in pose pixels.
 */
export function jointAnnouncement(
  ref: PointRef,
  points: ArrayLike<number> | undefined,
  personName?: string,
): string {
  const who = personName ? `${personName}, ` : '';
  const c = points?.[ref.index * 3 + 2];
  return `${who}${jointPlaceText(ref.index, points?.[ref.index * 3], points?.[ref.index * 3 + 1], c !== undefined && c <= 0)}`;
}

/** "right wrist at 312, 140" (whole pixels); just the name when the place is not a number. */
export function jointPlaceText(
  index: number,
  x: number | undefined,
  y: number | undefined,
  hidden = false,
): string {
  const name = `${spokenJointName(index)}${hidden ? ' (hidden)' : ''}`;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return name;
  return `${name} at ${Math.round(x!)}, ${Math.round(y!)}`;
}
