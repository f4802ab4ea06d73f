/**
 * Where the person-segmentation model looks: a square around the reference pose's body joints,
 * widened so the crown above the eyes, the soles below the ankles and loose clothes fit (the model
 * was trained on people centred in their crop with a margin, as its pose detector frames them).
 * A small person in a large photo is segmented at the model's full 256², not at a tenth of it.
 */

/** Body and feet points (COCO-18 + 6 feet) that outline the person. */
const BODY_POINTS = 24;
/** The crop's side over the joints' bounding box's long side. */
const MARGIN = 1.4;

export interface SquareCrop {
  /** Top-left corner in picture pixels (may lie outside the picture: padded with zeros). */
  x: number;
  y: number;
  size: number;
}

/** The square crop around the pose's body joints, or the whole picture when fewer than 2. */
export function personCrop(pose: Float64Array, width: number, height: number): SquareCrop {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let count = 0;
  for (let k = 0; k < BODY_POINTS; k++) {
    if (!(pose[k * 3 + 2]! > 0)) continue;
    const x = pose[k * 3]!;
    const y = pose[k * 3 + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
    count++;
  }
  if (count < 2) {
    const size = Math.max(width, height);
    return { x: (width - size) / 2, y: (height - size) / 2, size };
  }
  // The nose sits a head's half below the crown: extend upwards by a sixth of the body's height.
  y0 -= (y1 - y0) / 6;
  const size = Math.max(16, Math.max(x1 - x0, y1 - y0) * MARGIN);
  return { x: (x0 + x1) / 2 - size / 2, y: (y0 + y1) / 2 - size / 2, size };
}

/**
 * The picture's pixels resampled into the crop, S×S RGB floats 0–1 (bilinear; zeros outside the
 * picture), row-major: the model's input.
 */
export function sampleCrop(
  rgba: Uint8Array,
  width: number,
  height: number,
  crop: SquareCrop,
  S: number,
): Float32Array {
  const out = new Float32Array(S * S * 3);
  const step = crop.size / S;
  for (let v = 0; v < S; v++) {
    const py = crop.y + (v + 0.5) * step - 0.5;
    for (let u = 0; u < S; u++) {
      const px = crop.x + (u + 0.5) * step - 0.5;
      const o = (v * S + u) * 3;
      bilinearRgb(rgba, width, height, px, py, out, o);
    }
  }
  return out;
}

function bilinearRgb(
  rgba: Uint8Array,
  width: number,
  height: number,
  px: number,
  py: number,
  out: Float32Array,
  o: number,
): void {
  const xa = Math.floor(px);
  const ya = Math.floor(py);
  const fx = px - xa;
  const fy = py - ya;
  for (let c = 0; c < 3; c++) {
    let acc = 0;
    for (let dy = 0; dy < 2; dy++)
      for (let dx = 0; dx < 2; dx++) {
        const x = xa + dx;
        const y = ya + dy;
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
        acc += w * rgba[(y * width + x) * 4 + c]!;
      }
    out[o + c] = acc / 255;
  }
}

/**
 * The model's S×S soft mask back in picture pixels (bilinear; 0 outside the crop): the soft mask
 * of the whole picture, width × height.
 */
export function cropToPicture(
  soft: Float32Array,
  S: number,
  crop: SquareCrop,
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(width * height);
  const scale = S / crop.size;
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5 - crop.y) * scale - 0.5;
    if (v < -0.5 || v > S - 0.5) continue;
    const va = Math.max(0, Math.min(S - 1, Math.floor(v)));
    const vb = Math.min(S - 1, va + 1);
    const fy = Math.max(0, Math.min(1, v - va));
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5 - crop.x) * scale - 0.5;
      if (u < -0.5 || u > S - 0.5) continue;
      const ua = Math.max(0, Math.min(S - 1, Math.floor(u)));
      const ub = Math.min(S - 1, ua + 1);
      const fx = Math.max(0, Math.min(1, u - ua));
      const top = soft[va * S + ua]! * (1 - fx) + soft[va * S + ub]! * fx;
      const bottom = soft[vb * S + ua]! * (1 - fx) + soft[vb * S + ub]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** An S×S crop of `channels` floats per pixel, mirrored left to right. */
export function mirrorCrop(crop: Float32Array, S: number, channels: number): Float32Array {
  const out = new Float32Array(crop.length);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const from = (y * S + (S - 1 - x)) * channels;
      const to = (y * S + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = crop[from + c]!;
    }
  return out;
}

/**
 * The model's soft mask of a crop averaged with its mask of the mirrored crop (mirrored back):
 * test-time flipping. A person model's errors are not symmetric, so the two guesses disagree
 * where it is unsure and the average settles them; on the COCO photos of mmpose's tests the main
 * person's IoU rose 0.835 → 0.876 (sitting man) and 0.827 → 0.849 (skier in a crowd), and was
 * within 0.004 on the others.
 */
export function averageWithMirror(soft: Float32Array, mirrored: Float32Array, S: number) {
  const back = mirrorCrop(mirrored, S, 1);
  const out = new Float32Array(S * S);
  for (let i = 0; i < out.length; i++) out[i] = (soft[i]! + back[i]!) / 2;
  return out;
}
