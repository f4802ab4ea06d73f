import * as ort from 'onnxruntime-node';
import { fromFloat16, toFloat16 } from '#shared/diffusion/latents/float16';
import type { FloatType } from '#main/engine/diffusion/pack/signatures';

/** A float tensor of the type the model declares (float16 packs get half-precision bits). */
export function floatTensor(
  type: FloatType,
  data: Float32Array,
  dims: readonly number[],
): ort.Tensor {
  return type === 'float16'
    ? new ort.Tensor('float16', toFloat16(data), dims)
    : new ort.Tensor('float32', data, dims);
}

/** A model output as float32, whatever its precision. */
export function readFloats(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') {
    const data = tensor.data as unknown;
    // ORT hands half floats over as raw bits (Uint16Array) where Float16Array does not exist.
    if (data instanceof Uint16Array) return fromFloat16(data);
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new Error(`expected a float tensor, got ${tensor.type}`);
}

/** The same values as a tensor of `type` (no copy when it already is). */
export function asFloatType(tensor: ort.Tensor, type: FloatType): ort.Tensor {
  return tensor.type === type ? tensor : floatTensor(type, readFloats(tensor), tensor.dims);
}
