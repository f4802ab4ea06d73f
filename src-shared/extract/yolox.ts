/**
 * YOLOX post-processing as in the DWPose reference (`demo_postprocess` + class-agnostic
 * `multiclass_nms`): grid/stride decoding of the [anchors, 5 + classes] output, score =
 * objectness × class score, NMS at IoU 0.45 over boxes scoring > 0.1, then only people
 * (class 0) scoring > 0.3 are kept.
 */
import type { Box } from './affine';

export interface Detection {
  box: Box;
  score: number;
}

export const YOLOX_STRIDES = [8, 16, 32] as const;

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return ua > 0 ? inter / ua : 0;
}

/** Greedy NMS, highest score first; returns the kept detections in score order. */
export function nms<D extends Detection>(dets: readonly D[], iouThreshold: number): D[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const keep: D[] = [];
  for (const d of sorted) if (keep.every((k) => iou(k.box, d.box) <= iouThreshold)) keep.push(d);
  return keep;
}

export interface YoloxOptions {
  inputW: number;
  inputH: number;
  /** Letterbox scale (input pixels per source pixel). */
  ratio: number;
  nmsThreshold?: number;
  scoreThreshold?: number;
  personThreshold?: number;
}

/** Decodes a [anchors × (5 + classes)] YOLOX output into person boxes in source pixels. */
export function decodeYolox(output: Float32Array, channels: number, o: YoloxOptions): Detection[] {
  const anchors = output.length / channels;
  const expected = YOLOX_STRIDES.reduce(
    (n, s) => n + Math.floor(o.inputW / s) * Math.floor(o.inputH / s),
    0,
  );
  if (!Number.isInteger(anchors) || anchors !== expected)
    throw new RangeError(
      `YOLOX output has ${output.length / channels} anchors, expected ${expected} for ${o.inputW}×${o.inputH}`,
    );
  const candidates: (Detection & { cls: number })[] = [];
  const classes = channels - 5;
  let a = 0;
  for (const stride of YOLOX_STRIDES) {
    const gw = Math.floor(o.inputW / stride);
    const gh = Math.floor(o.inputH / stride);
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++, a++) {
        const p = a * channels;
        const obj = output[p + 4]!;
        let best = 0;
        let bestCls = 0;
        for (let c = 0; c < classes; c++) {
          const s = obj * output[p + 5 + c]!;
          if (s > best) {
            best = s;
            bestCls = c;
          }
        }
        if (!(best > (o.scoreThreshold ?? 0.1))) continue;
        const cx = (output[p]! + gx) * stride;
        const cy = (output[p + 1]! + gy) * stride;
        const w = Math.exp(output[p + 2]!) * stride;
        const h = Math.exp(output[p + 3]!) * stride;
        const box: Box = [
          (cx - w / 2) / o.ratio,
          (cy - h / 2) / o.ratio,
          (cx + w / 2) / o.ratio,
          (cy + h / 2) / o.ratio,
        ];
        candidates.push({ box, score: best, cls: bestCls });
      }
    }
  }
  return nms(candidates, o.nmsThreshold ?? 0.45)
    .filter((d) => d.cls === 0 && d.score > (o.personThreshold ?? 0.3))
    .map((d) => ({ box: d.box, score: d.score }));
}
