import { useEffect, useRef, useState } from 'react';
import type { BrushDab } from '#shared/mask/maskBrush';
import { drawMaskRect } from './maskPixels';
import { useMaskEditor } from './maskEditorStore';

/**
 * The mask over the picture: what is not the character is veiled. With the Add or Erase brush
 * chosen it takes the pointer (above the skeleton) and paints in picture pixels; otherwise the
 * pointer goes through to the skeleton's joints. The brush's outline follows the pointer.
 */
export function MaskCanvas() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { mask, width, height, revision, tool, radius } = useMaskEditor();
  const last = useRef<BrushDab | null>(null);
  const [cursor, setCursor] = useState<{ x: number; y: number; r: number } | null>(null);

  // Whole redraw on a new mask (load, Auto, undo…); strokes redraw only what they touch.
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !mask) return;
    ctx.clearRect(0, 0, width, height);
    drawMaskRect(ctx, mask, width, { x0: 0, y0: 0, x1: width, y1: height });
  }, [mask, width, height, revision]);

  if (!mask) return null;
  const painting = tool !== 'off';

  /** Pointer → picture pixels, and the CSS pixels per picture pixel. */
  const toPicture = (e: React.PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    const scale = r.width / width;
    return {
      dab: { x: (e.clientX - r.left) / scale, y: (e.clientY - r.top) / scale },
      css: { x: e.clientX - r.left, y: e.clientY - r.top, scale },
    };
  };
  const paintTo = (dab: BrushDab) => {
    const s = useMaskEditor.getState();
    const rect = s.paint(last.current ?? dab, dab);
    last.current = dab;
    const ctx = canvas.current?.getContext('2d');
    if (ctx && s.mask) drawMaskRect(ctx, s.mask, s.width, rect);
  };

  return (
    <>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        data-testid="mask-overlay"
        data-tool={tool}
        aria-label={
          painting
            ? `Mask brush (${tool === 'add' ? 'add to the character' : 'erase from the character'}), ${radius} px`
            : 'The character mask over the picture'
        }
        style={{
          position: 'absolute',
          inset: 0,
          width: '100%',
          height: '100%',
          pointerEvents: painting ? 'auto' : 'none',
          cursor: painting ? 'none' : 'default',
          touchAction: 'none',
          // Above the skeleton while a brush is chosen, so a stroke never drags a joint.
          zIndex: painting ? 2 : 0,
        }}
        onPointerDown={(e) => {
          if (!painting || e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          useMaskEditor.getState().beginStroke();
          last.current = null;
          paintTo(toPicture(e).dab);
        }}
        onPointerMove={(e) => {
          if (!painting) return;
          const p = toPicture(e);
          setCursor({ x: p.css.x, y: p.css.y, r: radius * p.css.scale });
          if (last.current) paintTo(p.dab);
        }}
        onPointerUp={() => {
          last.current = null;
        }}
        onPointerCancel={() => {
          last.current = null;
        }}
        onPointerLeave={() => setCursor(null)}
      />
      {painting && cursor && (
        <div
          aria-hidden
          style={{
            position: 'absolute',
            left: cursor.x - cursor.r,
            top: cursor.y - cursor.r,
            width: 2 * cursor.r,
            height: 2 * cursor.r,
            borderRadius: '50%',
            border: `2px solid ${tool === 'add' ? '#7CFC9A' : '#FF8A80'}`,
            pointerEvents: 'none',
            zIndex: 3,
          }}
        />
      )}
    </>
  );
}
