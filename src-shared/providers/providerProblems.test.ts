import { describe, expect, it } from 'vitest';
import {
  cleanProviderReason,
  parseProviderProblems,
  providerFailedReason,
  providerLabel,
  providerMissingReason,
  providerProblemText,
} from './providerProblems';

/** What the engine really reported on a Linux machine without CUDA libraries (ORT 1.30). */
const CUDA_LINUX =
  'puppet-warp: fell back to cpu (cuda failed: OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library)';
/** …and with the WebGPU preference on a machine without a GPU adapter. */
const WEBGPU_HEADLESS =
  'puppet-warp: fell back to cpu (webgpu failed: /onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters)';

describe('provider failures in words', () => {
  it('says which provider, why in one line, and that the CPU is used instead (CUDA on Linux)', () => {
    const problems = parseProviderProblems(CUDA_LINUX);
    expect(problems).toEqual([
      { provider: 'cuda', kind: 'failed', reason: 'Failed to load shared library' },
    ]);
    const text = providerProblemText(problems[0]!, 'cpu');
    expect(text).toMatch(
      /^CUDA \(NVIDIA\) could not start: Failed to load shared library\. Renders use CPU instead\. It needs an NVIDIA driver, CUDA 12 and cuDNN 9/,
    );
    expect(text).not.toMatch(/cuda failed|Ort[A-Z]/);
  });

  it("keeps ONNX Runtime's message but not its source location or failed check", () => {
    const [p] = parseProviderProblems(WEBGPU_HEADLESS);
    expect(p).toEqual({
      provider: 'webgpu',
      kind: 'failed',
      reason: 'Failed to get a WebGPU adapter: No supported adapters',
    });
    expect(providerProblemText(p!, 'cpu')).toBe(
      'WebGPU could not start: Failed to get a WebGPU adapter: No supported adapters. Renders use CPU instead. WebGPU is experimental and needs a GPU adapter the engine can open.',
    );
  });

  it('explains a provider this build does not have, naming what it has', () => {
    const message = providerMissingReason('dml', ['cpu', 'cuda', 'webgpu']);
    const [p] = parseProviderProblems(message);
    expect(p).toEqual({ provider: 'dml', kind: 'missing', reason: 'cpu, cuda, webgpu' });
    expect(providerProblemText(p!, 'cpu')).toBe(
      "DirectML (Windows) is not part of this machine's ONNX Runtime (it has CPU, CUDA (NVIDIA), WebGPU). Renders use CPU instead. DirectML exists only on Windows (DirectX 12 GPUs).",
    );
  });

  it('reads every reason of a joined report once, in order, parentheses in reasons kept', () => {
    const message = [
      providerMissingReason('coreml', ['cpu']),
      `unet: fell back to cpu (${providerFailedReason('cuda', 'libcudnn.so.9 (needed by x): not found\nstack')}; ${providerFailedReason('webgpu', 'no adapter')})`,
      `vae: fell back to cpu (${providerFailedReason('cuda', 'other')})`,
    ].join('; ');
    expect(parseProviderProblems(message)).toEqual([
      { provider: 'coreml', kind: 'missing', reason: 'cpu' },
      { provider: 'cuda', kind: 'failed', reason: 'Libcudnn.so.9 (needed by x): not found' },
      { provider: 'webgpu', kind: 'failed', reason: 'No adapter' },
    ]);
  });

  it('finds nothing in other engine messages, empty or hostile input', () => {
    for (const m of [
      undefined,
      '',
      'the engine crashed (exit code 1); restarting',
      'x'.repeat(100_000),
      'failed: failed: failed:',
      '(((((;;;;',
      NaN as unknown as string,
      { toString: () => 'cuda failed: x' } as unknown as string,
    ])
      expect(parseProviderProblems(m)).toEqual([]);
  });

  it('keeps an endless reason to one short line', () => {
    const [p] = parseProviderProblems(`cuda failed: ${'a'.repeat(10_000)}\nsecond line`);
    expect(p!.reason.length).toBeLessThanOrEqual(240);
    expect(p!.reason.endsWith('…')).toBe(true);
    expect(cleanProviderReason('')).toBe('no reason given');
    expect(cleanProviderReason('[ONNXRuntimeError] : 1 : FAIL : bad graph.')).toBe('Bad graph');
  });

  it('names providers as users know them, unknown ones as they are', () => {
    expect(providerLabel('coreml')).toBe('Core ML (macOS)');
    expect(providerLabel('toString')).toBe('toString');
    expect(providerLabel('qnn')).toBe('qnn');
    expect(providerProblemText({ provider: 'qnn', kind: 'failed', reason: 'x' }, '')).toBe(
      'qnn could not start: x. Renders use CPU instead.',
    );
  });
});
