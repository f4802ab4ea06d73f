import { useEffect, useState } from 'react';
import { BODY_LIMBS, PALETTE } from '#shared/pose/skeleton';
import type { MotionPreview } from '#shared/pose/motions/motionPick';

const reducedMotionQuery = '(prefers-reduced-motion: reduce)';

/** True while the user asks for less motion (followed live: the OS setting can change). */
function usePrefersReducedMotion(): boolean {
  const [reduced, setReduced] = useState(
    () => typeof matchMedia === 'function' && matchMedia(reducedMotionQuery).matches,
  );
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const q = matchMedia(reducedMotionQuery);
    const on = () => setReduced(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return reduced;
}

/** The part of the canvas the motion's body moves in, with a margin: the thumbnail's view box. */
function viewBox(preview: MotionPreview): string {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const f of preview.frames)
    for (let j = 0; j < f.length; j += 2) {
      const x = f[j];
      const y = f[j + 1];
      if (x == null || y == null) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  if (!Number.isFinite(x0)) return `0 0 ${preview.width} ${preview.height}`;
  const side = Math.max(x1 - x0, y1 - y0) * 1.15 + 8;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return `${cx - side / 2} ${cy - side / 2} ${side} ${side}`;
}

/**
 * A motion's body as a small looping SVG animation (the picker's thumbnail). With
 * prefers-reduced-motion it holds one frame, the motion's middle, instead of playing.
 */
export function MotionThumbnail({
  preview,
  size = 112,
}: {
  preview: MotionPreview;
  size?: number;
}) {
  const reduced = usePrefersReducedMotion();
  const count = preview.frames.length;
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (reduced || count < 2) return;
    const timer = window.setInterval(
      () => setFrame((f) => (f + 1) % count),
      1000 / Math.min(30, Math.max(1, preview.fps)),
    );
    return () => window.clearInterval(timer);
  }, [reduced, count, preview.fps]);
  const shown = reduced ? Math.floor(count / 2) : frame % Math.max(1, count);
  const points = preview.frames[shown] ?? [];
  const box = viewBox(preview);
  const stroke = Number(box.split(' ')[2]) / 40;
  return (
    <svg
      width={size}
      height={size}
      viewBox={box}
      aria-hidden
      data-testid="motion-thumbnail"
      data-frame={shown}
      data-playing={!reduced && count > 1}
      style={{ background: '#0d0f12', borderRadius: 6, display: 'block' }}
    >
      {BODY_LIMBS.map(([a, b], i) => {
        const [ax, ay, bx, by] = [
          points[2 * a],
          points[2 * a + 1],
          points[2 * b],
          points[2 * b + 1],
        ];
        if (ax == null || ay == null || bx == null || by == null) return null;
        const [r, g, bl] = PALETTE[i]!;
        return (
          <line
            key={i}
            x1={ax}
            y1={ay}
            x2={bx}
            y2={by}
            stroke={`rgb(${r},${g},${bl})`}
            strokeWidth={stroke}
            strokeLinecap="round"
          />
        );
      })}
    </svg>
  );
}
