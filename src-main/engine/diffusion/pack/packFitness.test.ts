import { describe, expect, it } from 'vitest';
import type { OnnxHeader } from './onnxHeader';
import { providerProblems } from './packFitness';
import { precisionOf } from './precision';
import type { PackModel } from './packModel';

function model(weights: Record<string, number>, ops: [string, string, string[]][] = []): PackModel {
  const header: OnnxHeader = {
    irVersion: 8,
    producer: 'test',
    opsets: new Map([['', 17]]),
    inputs: [],
    outputs: [],
    nodes: ops.map(([domain, opType, inputs]) => ({ domain, opType, name: opType, inputs })),
    weightTypes: new Map(Object.entries(weights)),
    externalData: [],
  };
  return { rel: 'unet/model.onnx', header } as unknown as PackModel;
}

describe('up-front provider checks', () => {
  it('reads the precision from the weights, not the I/O', () => {
    expect(precisionOf(model({ float32: 1000 }).header)).toBe('float32');
    expect(precisionOf(model({ float16: 1000, float32: 3 }).header)).toBe('float16');
    expect(precisionOf(model({ float16: 500, float32: 500 }).header)).toBe('mixed');
  });

  it('refuses a float16 UNet on CPU only, in one line with the fix; a GPU provider may run it', () => {
    const half = model({ float16: 1000 });
    const [problem] = providerProblems(half, ['cpu']);
    expect(problem).toMatch(
      /unet\/model.onnx is a float16 model, which the CPU provider cannot run: use the float32 export/,
    );
    expect(providerProblems(half, ['dml', 'cpu'])).toEqual([]);
    expect(providerProblems(model({ float32: 1000 }), ['cpu'])).toEqual([]);
  });

  it('refuses fused ops no listed provider has, naming the provider that does', () => {
    const nhwc = model({ float32: 10 }, [['com.microsoft', 'NhwcConv', ['x', 'w']]]);
    expect(providerProblems(nhwc, ['cpu'])[0]).toMatch(
      /optimised for CUDA \(NhwcConv\), which CPU cannot run: choose CUDA/,
    );
    expect(providerProblems(nhwc, ['cuda', 'cpu'])).toEqual([]);
    const cpuFused = model({ float32: 10 }, [
      ['com.microsoft', 'Attention', ['x', 'w', 'b']],
      ['com.microsoft', 'MultiHeadAttention', ['q', 'k', 'v']],
    ]);
    expect(providerProblems(cpuFused, ['cpu'])).toEqual([]);
  });
});
