import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The parity record `tools/pack-export` writes into an exported pack (`parity/parity.json` plus
 * one raw little-endian file per tensor): seeded inputs and the PyTorch model's outputs for each
 * component, so the app's own runtime can repeat the exporter's check at any time.
 *
 * The record is a file from outside the app: everything is checked before use (names of files
 * stay inside `parity/`, sizes match shapes, shapes are bounded).
 */

const components = ['text_encoder', 'unet', 'controlnet', 'vae_encoder', 'vae_decoder'] as const;
const dtypes = { float32: 4, int32: 4, int64: 8 } as const;
/** 2^28 elements (1 GiB of float32): far above any parity case, far below what breaks a process. */
const MAX_ELEMENTS = 2 ** 28;

const tensorEntry = z.object({
  name: z.string().min(1).max(200),
  dtype: z.enum(['float32', 'int32', 'int64']),
  shape: z.array(z.number().int().min(0).max(MAX_ELEMENTS)).max(8),
  // a bare file name: no folders, so nothing outside parity/ is ever read
  file: z.string().regex(/^[\w.+-]+\.bin$/),
});
const recordSchema = z.object({
  tolerance: z.number().positive().max(1),
  cases: z
    .array(
      z.object({
        component: z.enum(components),
        model: z.string(),
        inputs: z.array(tensorEntry).min(1).max(64),
        outputs: z.array(tensorEntry).min(1).max(64),
      }),
    )
    .min(1)
    .max(components.length),
});

export type ParityComponent = (typeof components)[number];
export type TensorEntry = z.infer<typeof tensorEntry>;
export interface ParityCase {
  component: ParityComponent;
  inputs: TensorEntry[];
  outputs: TensorEntry[];
}
export interface ParityRecord {
  dir: string;
  /** max |onnx − torch| may be at most tolerance × max(1, max |torch|) per output. */
  tolerance: number;
  cases: ParityCase[];
}

export class ParityRecordError extends Error {
  override name = 'ParityRecordError';
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export async function readParityRecord(packDir: string): Promise<ParityRecord> {
  const dir = join(packDir, 'parity');
  let text: string;
  try {
    text = await readFile(join(dir, 'parity.json'), 'utf8');
  } catch {
    throw new ParityRecordError(
      `${join(dir, 'parity.json')} is missing: not a pack written by pose-studio pack export`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ParityRecordError('parity/parity.json is not valid JSON');
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success)
    throw new ParityRecordError(`parity/parity.json: ${parsed.error.issues[0]?.message ?? 'bad'}`);
  for (const c of parsed.data.cases) {
    if (c.model !== `${c.component}/model.onnx`)
      throw new ParityRecordError(`parity/parity.json: ${c.component} names model ${c.model}`);
    for (const t of [...c.inputs, ...c.outputs]) {
      const bytes = elementCount(t.shape) * dtypes[t.dtype];
      if (elementCount(t.shape) > MAX_ELEMENTS)
        throw new ParityRecordError(`parity/${t.file}: shape ${t.shape.join('×')} is too large`);
      const size = await stat(join(dir, t.file)).then(
        (s) => (s.isFile() ? s.size : -1),
        () => -1,
      );
      if (size !== bytes)
        throw new ParityRecordError(
          size < 0
            ? `parity/${t.file} is missing`
            : `parity/${t.file} has ${size} bytes, its shape ${t.shape.join('×')} needs ${bytes}`,
        );
    }
  }
  return { dir, tolerance: parsed.data.tolerance, cases: parsed.data.cases };
}

/** Reads one tensor's raw little-endian bytes as a typed array. */
export async function readTensorData(
  record: ParityRecord,
  t: TensorEntry,
): Promise<Float32Array | Int32Array | BigInt64Array> {
  const buf = await readFile(join(record.dir, t.file));
  const copy = new Uint8Array(buf).buffer; // aligned copy; files are little-endian like x86/ARM
  if (t.dtype === 'float32') return new Float32Array(copy);
  if (t.dtype === 'int32') return new Int32Array(copy);
  return new BigInt64Array(copy);
}
