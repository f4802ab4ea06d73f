import type { RgbImage } from '#shared/image/rgbImage';

/** Per-channel mean and standard deviation of an RGB image (0…255). */
export interface ColourStats {
  mean: [number, number, number];
  std: [number, number, number];
}

export function colourStats(image: RgbImage): ColourStats {
  const n = image.width * image.height;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * 3 + c]!;
      sum[c]! += v;
      sq[c]! += v * v;
    }
  const mean = sum.map((s) => s / n) as [number, number, number];
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / n - mean[c]! ** 2))) as [
    number,
    number,
    number,
  ];
  return { mean, std };
}

/**
 * Colour drift correction for chained segments: each channel's mean and spread are moved back to
 * the reference's (Reinhard-style transfer in RGB), so generated-frame feedback cannot slowly
 * tint the video. `strength` 1 matches fully; the spread is only ever scaled by 0.5…2.
 */
export function correctColourDrift(image: RgbImage, target: ColourStats, strength = 1): RgbImage {
  const own = colourStats(image);
  const out = new Uint8Array(image.data.length);
  const gain = own.std.map((s, c) => {
    const g = s > 1e-6 ? target.std[c]! / s : 1;
    return 1 + strength * (Math.min(2, Math.max(0.5, g)) - 1);
  });
  for (let i = 0; i < out.length; i++) {
    const c = i % 3;
    const mean = own.mean[c]!;
    const targetMean = mean + strength * (target.mean[c]! - mean);
    const v = (image.data[i]! - mean) * gain[c]! + targetMean;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return { width: image.width, height: image.height, data: out };
}

/** sRGB mean colour to CIE Lab (D65), for a perceptual drift measure. */
export function meanLab(stats: ColourStats): [number, number, number] {
  const lin = stats.mean.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const [r, g, b] = lin as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** Colour drift of a frame from the reference: ΔE (CIE76) between their mean colours. */
export function colourDrift(frame: ColourStats, reference: ColourStats): number {
  const a = meanLab(frame);
  const b = meanLab(reference);
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
