/**
 * A pose as it crosses into the engine process (puppet and diffusion requests alike): 136 points ×
 * [x, y, confidence] in a Float64Array. Every number must be finite and of a size a picture can
 * have: NaN, ±Infinity or 1e308 from a broken file or a runaway interpolation is answered as a
 * bad request naming the point, never rendered into garbage or passed to the rasterisers.
 */
import { z } from 'zod';
import { POINTS_LENGTH } from '#shared/pose/types';

/**
 * Largest |coordinate| (pixels) or |confidence| accepted. Pictures are at most 16,384 px a side;
 * a point a million pixels away is a broken value, not a pose.
 */
export const MAX_POSE_VALUE = 1e6;

const FIELD = ['x', 'y', 'confidence'] as const;

export const PoseSchema = z
  .custom<Float64Array>((v) => v instanceof Float64Array, 'a pose is a Float64Array')
  .superRefine((a, ctx) => {
    if (a.length !== POINTS_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `a pose has ${POINTS_LENGTH} numbers (136 points × 3), got ${a.length}`,
      });
      return;
    }
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Math.abs(v) <= MAX_POSE_VALUE) continue; // false for NaN too
      ctx.addIssue({
        code: 'custom',
        message:
          `point ${Math.floor(i / 3)} ${FIELD[i % 3]} is ${v}: pose numbers must be finite ` +
          `and within ±${MAX_POSE_VALUE.toLocaleString('en-US')}`,
      });
      return; // the first bad number is enough to say what is wrong
    }
  });
