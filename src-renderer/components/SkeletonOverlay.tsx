import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import {
  BODY_LIMBS,
  FOOT_LIMBS,
  HAND_EDGES,
  LEFT_HAND,
  PALETTE,
  RIGHT_HAND,
} from '#shared/pose/skeleton';
import type { Joint } from '#shared/api/index';
import { isArrowKey, jointKeyAction, jointPlaceText, stepJoint } from '#shared/editor/jointKeys';

/** The overlay's label, and what it says when it gets focus with no joint chosen. */
const HINT = 'Character skeleton: press ] or [ to choose a joint, arrow keys to move it.';
import { canvasToPicture, placePicture } from '#shared/geometry/pictureCanvas';
import { JointAnnouncement } from './JointAnnouncement';

const rgb = (i: number) => {
  const c = PALETTE[i % PALETTE.length]!;
  return `rgb(${c[0]},${c[1]},${c[2]})`;
};

interface Props {
  width: number;
  height: number;
  joints: Joint[];
  /** Called when the user drops a dragged body joint (picture pixels). */
  onMove?: (index: number, x: number, y: number) => void;
}

/**
 * The character's skeleton drawn over its picture in OpenPose colours. Body and foot joints can
 * be dragged to fix a wrong detection; the fix is saved when the joint is dropped. By keyboard
 * (the pose stage's key map, `jointKeys`): Tab reaches the overlay, `]`/`[` choose a body or foot
 * joint (announced), the arrows move it (Shift: 10 picture px) and releasing them saves, as a drop.
 */
export function SkeletonOverlay({ width, height, joints, onMove }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ index: number; x: number; y: number } | null>(null);
  const at = new Map(joints.filter((j) => j.confidence > 0).map((j) => [j.index, j]));
  const pos = (i: number) => (drag?.index === i ? drag : at.get(i));
  const r = Math.max(3, Math.min(width, height) / 120);
  const [chosen, setChosen] = useState<number | null>(null);
  const [said, setSaid] = useState('');
  const editable = onMove !== undefined;

  const place = (i: number) => {
    const p = pos(i);
    return jointPlaceText(i, p?.x, p?.y);
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const action = jointKeyAction(e);
    if (!action || !editable) return;
    if (action.kind === 'nudge') {
      const from = chosen === null ? undefined : pos(chosen);
      if (chosen === null || !from) return;
      setDrag({ index: chosen, x: from.x + action.dx, y: from.y + action.dy });
      setSaid(jointPlaceText(chosen, from.x + action.dx, from.y + action.dy));
    } else {
      // Body and foot joints (the ones a drag can fix), in order.
      const order = [...at.keys()].filter((i) => i < 24).sort((a, b) => a - b);
      const refs = order.map((index) => ({ personId: 0, index }));
      const current = chosen === null ? undefined : { personId: 0, index: chosen };
      const next = stepJoint(refs, current, action.kind === 'next' ? 1 : -1);
      if (!next) return;
      setChosen(next.index);
      setSaid(place(next.index));
    }
    e.preventDefault();
    e.stopPropagation();
  };
  const onKeyUp = (e: KeyboardEvent<SVGSVGElement>) => {
    if (!isArrowKey(e.key) || !drag || drag.index !== chosen) return;
    // The joint stays where the keys put it until the saved character comes back with it there:
    // an arrow pressed meanwhile goes on from here, not from the place before the save.
    const placed = { index: drag.index, x: Math.round(drag.x), y: Math.round(drag.y) };
    setDrag(placed);
    onMove?.(placed.index, placed.x, placed.y);
  };
  useEffect(() => {
    const saved = drag ? at.get(drag.index) : undefined;
    if (drag && saved && Math.round(saved.x) === drag.x && Math.round(saved.y) === drag.y)
      setDrag(null);
    // Only a new character (its joints) can confirm a save; `at` and `drag` are read as they are.
  }, [joints]);

  // The SVG shows the picture fitted into its box (viewBox, "meet") exactly as the picture is
  // placed on a canvas everywhere else, so a pointer maps back through the same placement.
  const toPicture = (e: PointerEvent) => {
    const box = svg.current!.getBoundingClientRect();
    const at = placePicture({ width, height }, box);
    const [x = 0, y = 0] = canvasToPicture(
      new Float64Array([e.clientX - box.left, e.clientY - box.top, 1]),
      at,
    );
    return { x: Math.min(Math.max(x, 0), width), y: Math.min(Math.max(y, 0), height) };
  };

  const edges: [number, number, string][] = [
    ...BODY_LIMBS.map(([a, b], i) => [a, b, rgb(i)] as [number, number, string]),
    ...FOOT_LIMBS.map(([a, b]) => [a, b, 'rgb(255,255,255)'] as [number, number, string]),
    ...[LEFT_HAND, RIGHT_HAND].flatMap((h) =>
      HAND_EDGES.map(([a, b], i) => [h.start + a, h.start + b, rgb(i)] as [number, number, string]),
    ),
  ];

  const overlay = (
    <svg
      ref={svg}
      viewBox={`0 0 ${width} ${height}`}
      style={{
        position: 'absolute',
        inset: 0,
        width: '100%',
        height: '100%',
        touchAction: 'none',
      }}
      data-testid="skeleton-overlay"
      {...(editable
        ? {
            tabIndex: 0,
            role: 'application',
            'aria-label': HINT,
            onKeyDown,
            onKeyUp,
            onFocus: () => setSaid(chosen === null ? HINT : place(chosen)),
          }
        : {})}
      onPointerMove={(e) => drag && setDrag({ index: drag.index, ...toPicture(e) })}
      onPointerUp={() => {
        if (drag && onMove) onMove(drag.index, Math.round(drag.x), Math.round(drag.y));
        setDrag(null);
      }}
    >
      {edges.map(([a, b, color]) => {
        const p = pos(a);
        const q = pos(b);
        if (!p || !q) return null;
        return (
          <line
            key={`${a}-${b}`}
            x1={p.x}
            y1={p.y}
            x2={q.x}
            y2={q.y}
            stroke={color}
            strokeOpacity={0.7}
            strokeWidth={r * 1.2}
            strokeLinecap="round"
          />
        );
      })}
      {/* Body and foot joints last: on top of the hand and face points that share their place. */}
      {[...at.keys()]
        .sort((a, b) => Number(a < 24) - Number(b < 24) || a - b)
        .map((i) => {
          const p = pos(i)!;
          const editable = i < 24 && onMove !== undefined;
          return (
            <circle
              key={i}
              data-joint={i}
              cx={p.x}
              cy={p.y}
              r={i < 24 ? r : r * 0.5}
              fill={i < 18 ? rgb(i) : '#fff'}
              stroke="#000"
              strokeWidth={r * 0.25}
              style={{ cursor: editable ? 'grab' : 'default' }}
              onPointerDown={(e) => {
                if (!editable) return;
                (e.target as Element).setPointerCapture?.(e.pointerId);
                setDrag({ index: i, x: p.x, y: p.y });
              }}
            >
              <title>{at.get(i)!.name}</title>
            </circle>
          );
        })}
      {chosen !== null && pos(chosen) && (
        <circle
          data-testid="chosen-joint"
          cx={pos(chosen)!.x}
          cy={pos(chosen)!.y}
          r={r * 2}
          fill="none"
          stroke="#fff"
          strokeWidth={r * 0.4}
          pointerEvents="none"
        />
      )}
    </svg>
  );
  if (!editable) return overlay;
  return (
    <>
      {overlay}
      <JointAnnouncement
        text={said}
        whenFocused="svg:focus-visible + &"
        testId="skeleton-announcement"
      />
    </>
  );
}
