import type { OnnxHeader } from './onnxHeader';

export type Precision = 'float32' | 'float16' | 'mixed';

/** float16 or float32 by the weights' element counts (I/O casts around a float32 body do not count). */
export function precisionOf(header: OnnxHeader): Precision {
  const f16 = (header.weightTypes.get('float16') ?? 0) + (header.weightTypes.get('bfloat16') ?? 0);
  const f32 = header.weightTypes.get('float32') ?? 0;
  if (f16 === 0) return 'float32';
  if (f32 === 0 || f16 > 9 * f32) return 'float16';
  return f16 * 9 < f32 ? 'float32' : 'mixed';
}
