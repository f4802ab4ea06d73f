import { createRequire } from 'node:module';
import type * as OnnxProtoModule from 'onnx-proto';

/**
 * onnx-proto is a CommonJS bundle that assigns `module.exports` wholesale, so Node's ESM loader
 * cannot see its named export. Load it through require; import its types with
 * `import type { onnx } from 'onnx-proto'`.
 */
const require = createRequire(import.meta.url);
export const onnxProto: typeof OnnxProtoModule.onnx = (
  require('onnx-proto') as typeof OnnxProtoModule
).onnx;
