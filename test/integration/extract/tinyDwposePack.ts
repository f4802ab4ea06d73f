/**
 * A tiny DWPose pack for tests: `yolox_l.onnx` and `dw-ll_ucoco_384.onnx` with the real models'
 * input/output names and shapes (images [1,3,640,640] → output [1,8400,85]; input [1,3,384,288] →
 * simcc_x [1,133,576], simcc_y [1,133,768]) but constant predictions (+ 0 × the input's mean, so
 * the input is consumed). It proves the loading, pre/post-processing and coordinate plumbing
 * end to end; it says nothing about DWPose's accuracy, which needs the real weights.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder } from '#native-models/graphBuilder';

/** Source picture the fixture's constants were chosen for. */
export const TINY_PICTURE = { width: 320, height: 240 };
/** The one person box the detector reports, in source pixels (letterbox ratio 2). */
export const TINY_BOX = [100, 40, 180, 220] as const;

/** Keypoints the pose model reports: index, simcc x bin, simcc y bin, score. */
export const TINY_KEYPOINTS: readonly (readonly [number, number, number, number])[] = [
  [0, 288, 384, 0.9], // nose at the crop centre → source (140, 130)
  [5, 0, 0, 0.8], // left shoulder at the crop's top-left corner → (55.625, 17.5)
  [6, 576 - 2, 768 - 2, 0.7], // right shoulder near the bottom-right corner
  [9, 100, 200, 0.2], // left wrist below the 0.3 threshold → missing
];

function withZeroInput(g: GraphBuilder, input: string, value: string): string {
  const mean = g.node('ReduceMean', [input], { keepdims: 0 });
  const zero = g.node('Mul', [mean, g.constFloat([0], [])]);
  return g.node('Add', [value, zero]);
}

function detector(): Uint8Array {
  const anchors = 8400;
  const ch = 85;
  const out = new Array<number>(anchors * ch).fill(0);
  const put = (a: number, v: number[]) => v.forEach((x, i) => (out[a * ch + i] = x));
  const cls = (c: number, s: number) => {
    const v = new Array<number>(80).fill(0);
    v[c] = s;
    return v;
  };
  // Person: centre (280, 260), 160 × 360 input pixels at stride 32, cell (8, 8).
  put(6400 + 1600 + 8 * 20 + 8, [0.75, 0.125, Math.log(5), Math.log(11.25), 0.9, ...cls(0, 0.95)]);
  // A weaker duplicate of the same person at stride 16 (cell 17, 16): NMS must drop it.
  put(6400 + 16 * 40 + 17, [0.5, 0.25, Math.log(10), Math.log(22.5), 0.8, ...cls(0, 0.7)]);
  // A confident non-person (class 2) elsewhere: filtered out.
  put(6400 + 1600 + 2 * 20 + 2, [0.5, 0.5, 0, 0, 0.9, ...cls(2, 0.9)]);
  // A person below the 0.3 keep threshold (0.5 × 0.5 = 0.25): filtered out.
  put(6400 + 1600 + 15 * 20 + 15, [0.5, 0.5, 1, 1, 0.5, ...cls(0, 0.5)]);
  const g = new GraphBuilder('tiny_yolox');
  const images = g.input('images', 'float32', [1, 3, 640, 640]);
  const value = withZeroInput(g, images, g.constFloat(out, [1, anchors, ch]));
  g.output(value, 'output', 'float32', [1, anchors, ch]);
  return g.toBytes(13, 'tiny YOLOX-shaped detector for tests');
}

function poseModel(): Uint8Array {
  const k = 133;
  const sx = new Array<number>(k * 576).fill(0);
  const sy = new Array<number>(k * 768).fill(0);
  for (const [i, x, y, s] of TINY_KEYPOINTS) {
    sx[i * 576 + x] = s;
    sy[i * 768 + y] = s;
  }
  const g = new GraphBuilder('tiny_dwpose');
  const input = g.input('input', 'float32', [1, 3, 384, 288]);
  g.output(withZeroInput(g, input, g.constFloat(sx, [1, k, 576])), 'simcc_x', 'float32', [
    1,
    k,
    576,
  ]);
  g.output(withZeroInput(g, input, g.constFloat(sy, [1, k, 768])), 'simcc_y', 'float32', [
    1,
    k,
    768,
  ]);
  return g.toBytes(13, 'tiny DWPose-shaped whole-body model for tests');
}

export async function writeTinyDwposePack(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'yolox_l.onnx'), detector());
  await writeFile(join(dir, 'dw-ll_ucoco_384.onnx'), poseModel());
  return dir;
}
