import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { sessionConfig } from '#main/engine/sessionConfig';
import {
  readParityRecord,
  readTensorData,
  type ParityComponent,
  type ParityRecord,
} from './parityRecord';

/** One output of one component: the exported graph against the PyTorch model it came from. */
export interface ParityResult {
  component: ParityComponent;
  output: string;
  maxAbsDiff: number;
  /** The largest difference allowed: tolerance × max(1, max |torch|). */
  allowed: number;
  ok: boolean;
  /** Why the component could not be run (then maxAbsDiff is Infinity). */
  error?: string;
}

/**
 * Runs every component of an exported pack on the CPU provider with the recorded inputs and
 * compares each output with the recorded PyTorch output. A component that cannot be loaded or
 * run, or an output it does not produce, is a failed result, not an exception: the report lists
 * every file.
 */
export async function checkPackParity(
  packDir: string,
  onResult: (r: ParityResult) => void = () => {},
  only?: readonly ParityComponent[],
): Promise<ParityResult[]> {
  const record = await readParityRecord(packDir);
  const results: ParityResult[] = [];
  const push = (r: ParityResult) => {
    results.push(r);
    onResult(r);
  };
  for (const c of record.cases) {
    if (only && !only.includes(c.component)) continue;
    let outputs: Record<string, ort.Tensor>;
    try {
      outputs = await runCase(packDir, record, c);
    } catch (e) {
      const error = (e as Error).message.split('\n')[0]!;
      for (const o of c.outputs)
        push({
          component: c.component,
          output: o.name,
          maxAbsDiff: Infinity,
          allowed: 0,
          ok: false,
          error,
        });
      continue;
    }
    for (const o of c.outputs) {
      const want = (await readTensorData(record, o)) as Float32Array;
      const got = outputs[o.name];
      const allowed = record.tolerance * Math.max(1, maxAbs(want));
      const maxAbsDiff =
        got && got.type === 'float32' && got.data.length === want.length
          ? maxAbsDifference(got.data as Float32Array, want)
          : Infinity;
      // a NaN anywhere gives NaN, and NaN ≤ allowed is false: it fails
      push({
        component: c.component,
        output: o.name,
        maxAbsDiff,
        allowed,
        ok: maxAbsDiff <= allowed,
      });
    }
  }
  return results;
}

async function runCase(
  packDir: string,
  record: ParityRecord,
  c: ParityRecord['cases'][number],
): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(join(packDir, c.component, 'model.onnx'), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    extra: sessionConfig(),
  });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const i of c.inputs)
      feeds[i.name] = new ort.Tensor(i.dtype, await readTensorData(record, i), i.shape);
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}
