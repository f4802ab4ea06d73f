import { useRef } from 'react';
import Box from '@mui/material/Box';

export interface Bezier {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const SIZE = 112;
const PAD = 16;
const INNER = SIZE - 2 * PAD;

/**
 * A small cubic-bezier curve editor (CSS `cubic-bezier(x1, y1, x2, y2)`): drag the two handles;
 * x stays in [0, 1], y may overshoot to [−0.5, 1.5] for anticipation and overshoot.
 */
export function BezierEditor({
  value,
  onChange,
  onCommit,
}: {
  value: Bezier;
  onChange: (b: Bezier) => void;
  onCommit?: () => void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const dragging = useRef<1 | 2 | null>(null);
  const toX = (u: number) => PAD + u * INNER;
  const toY = (v: number) => PAD + (1 - v) * INNER;
  const path = `M ${toX(0)} ${toY(0)} C ${toX(value.x1)} ${toY(value.y1)}, ${toX(value.x2)} ${toY(value.y2)}, ${toX(1)} ${toY(1)}`;

  const onMove = (e: React.PointerEvent) => {
    if (!dragging.current) return;
    const r = svgRef.current!.getBoundingClientRect();
    const scale = SIZE / r.width;
    const u = Math.min(1, Math.max(0, ((e.clientX - r.left) * scale - PAD) / INNER));
    const v = Math.min(1.5, Math.max(-0.5, 1 - ((e.clientY - r.top) * scale - PAD) / INNER));
    const round = (n: number) => Math.round(n * 100) / 100;
    onChange(
      dragging.current === 1
        ? { ...value, x1: round(u), y1: round(v) }
        : { ...value, x2: round(u), y2: round(v) },
    );
  };
  const handle = (n: 1 | 2, x: number, y: number) => (
    <>
      <line
        x1={n === 1 ? toX(0) : toX(1)}
        y1={n === 1 ? toY(0) : toY(1)}
        x2={toX(x)}
        y2={toY(y)}
        stroke="#7c9cff"
        strokeWidth={1}
      />
      <circle
        data-testid={`bezier-handle-${n}`}
        cx={toX(x)}
        cy={toY(y)}
        r={6}
        fill="#ffd166"
        stroke="#0d0f13"
        style={{ cursor: 'grab' }}
        onPointerDown={(e) => {
          dragging.current = n;
          (e.target as Element).setPointerCapture(e.pointerId);
        }}
      />
    </>
  );
  return (
    <Box sx={{ width: SIZE, height: SIZE }}>
      <svg
        ref={svgRef}
        width={SIZE}
        height={SIZE}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        onPointerMove={onMove}
        onPointerUp={() => {
          if (dragging.current) onCommit?.();
          dragging.current = null;
        }}
        style={{ touchAction: 'none', background: '#12151a', borderRadius: 6 }}
      >
        <rect x={PAD} y={PAD} width={INNER} height={INNER} fill="none" stroke="#2e333d" />
        <line
          x1={toX(0)}
          y1={toY(0)}
          x2={toX(1)}
          y2={toY(1)}
          stroke="#2e333d"
          strokeDasharray="3 3"
        />
        <path d={path} fill="none" stroke="#dfe6f5" strokeWidth={2} />
        {handle(1, value.x1, value.y1)}
        {handle(2, value.x2, value.y2)}
      </svg>
    </Box>
  );
}
