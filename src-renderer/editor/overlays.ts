import Konva from 'konva';
import { BODY_LIMBS, HAND_EDGES, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import type { PoseFrame } from '#shared/pose/types';
import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { renderConditioning } from '#shared/pose/conditioning';

/**
 * The exact conditioning image (the pose math's `renderConditioning`, pixel for pixel what the
 * generator receives) copied into a canvas that a Konva.Image shows over the picture.
 */
export class ConditioningOverlay {
  readonly canvas = document.createElement('canvas');
  private rgb: RgbImage | null = null;
  private imageData: ImageData | null = null;
  readonly node: Konva.Image;

  constructor() {
    this.node = new Konva.Image({ image: this.canvas, listening: false, name: 'conditioning' });
  }

  draw(frame: PoseFrame, feet: boolean): void {
    const { width, height } = frame;
    if (!this.rgb || this.rgb.width !== width || this.rgb.height !== height) {
      this.rgb = createRgbImage(width, height);
      this.canvas.width = width;
      this.canvas.height = height;
      this.imageData = new ImageData(width, height);
      this.node.width(width);
      this.node.height(height);
    }
    renderConditioning(frame, { feet }, this.rgb);
    // RGB → RGBA, one 32-bit write per pixel (little-endian: A B G R).
    const src = this.rgb.data;
    const dst = new Uint32Array(this.imageData!.data.buffer);
    for (let i = 0, j = 0; j < dst.length; i += 3, j++)
      dst[j] = 0xff000000 | (src[i + 2]! << 16) | (src[i + 1]! << 8) | src[i]!;
    this.canvas.getContext('2d')!.putImageData(this.imageData!, 0, 0);
  }
}

export interface Ghost {
  frame: PoseFrame;
  color: string;
  opacity: number;
}

const GHOST_EDGES: (readonly [number, number])[] = [
  ...BODY_LIMBS,
  ...HAND_EDGES.map(([a, b]) => [LEFT_HAND.start + a, LEFT_HAND.start + b] as const),
  ...HAND_EDGES.map(([a, b]) => [RIGHT_HAND.start + a, RIGHT_HAND.start + b] as const),
];

/** Onion-skin ghosts: one shape that strokes every ghost's bones in its colour. */
export function createGhostShape(): Konva.Shape {
  return new Konva.Shape({
    listening: false,
    name: 'onion-skin',
    sceneFunc(ctx, shape) {
      const ghosts = (shape.getAttr('ghosts') as Ghost[] | undefined) ?? [];
      const zoom = (shape.getAttr('zoom') as number | undefined) ?? 1;
      ctx.lineCap = 'round';
      for (const g of ghosts) {
        ctx.globalAlpha = g.opacity;
        ctx.strokeStyle = g.color;
        ctx.lineWidth = 3 / zoom;
        ctx.beginPath();
        for (const person of g.frame.people) {
          const p = person.points;
          for (const [a, b] of GHOST_EDGES) {
            if (!(p[a * 3 + 2]! > 0 && p[b * 3 + 2]! > 0)) continue;
            ctx.moveTo(p[a * 3]!, p[a * 3 + 1]!);
            ctx.lineTo(p[b * 3]!, p[b * 3 + 1]!);
          }
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    },
  });
}
