import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';

/**
 * Writes a model, moving initializers of at least `minBytes` into one external weights file next
 * to it — the layout optimum and diffusers use for models over protobuf's 2 GB limit
 * (`model.onnx` + `model.onnx_data`, or `weights.pb` in older Olive/diffusers exports).
 */
export async function writeModel(
  model: onnx.ModelProto,
  path: string,
  external?: { fileName: string; minBytes: number },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (external) {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const tensor of model.graph?.initializer ?? []) {
      const raw = tensor.rawData;
      if (!raw || raw.length < external.minBytes) continue;
      chunks.push(raw);
      tensor.externalData = [
        { key: 'location', value: external.fileName },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.length) },
      ];
      tensor.dataLocation = onnxProto.TensorProto.DataLocation.EXTERNAL;
      delete (tensor as { rawData?: Uint8Array }).rawData;
      offset += raw.length;
      // Keep every tensor 64-byte aligned, as onnx.save_model does for mmap-friendly reads.
      const pad = (64 - (offset % 64)) % 64;
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
    }
    await writeFile(join(dirname(path), external.fileName), Buffer.concat(chunks));
  }
  await writeFile(path, onnxProto.ModelProto.encode(model).finish());
}
