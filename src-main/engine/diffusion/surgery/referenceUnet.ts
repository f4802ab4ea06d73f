import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';
import {
  CROSS_FRAME_SOURCE,
  CROSS_FRAME_TOKENS,
  deriveBankReader,
  deriveBankWriter,
  type BankSlot,
} from './referenceAttention';

/** Keys and values of every self-attention block for one reference, by bank input name. */
export interface ReferenceBank {
  readonly slots: readonly BankSlot[];
  readonly tensors: ReadonlyMap<string, ort.Tensor>;
  /** Reference tokens per block (0 for the empty bank). */
  readonly tokens: number;
}

/**
 * The UNet pair made by graph surgery from a pack's unet/model.onnx: a writer (one pass on the
 * reference fills the bank) and a reader (every denoiser call attends to the bank as well).
 */
export class ReferenceUnet {
  private constructor(
    private readonly provider: SessionProvider,
    readonly writer: ort.InferenceSession,
    readonly reader: ort.InferenceSession,
    readonly slots: readonly BankSlot[],
  ) {}

  static async open(unetModelPath: string, provider: SessionProvider): Promise<ReferenceUnet> {
    const bytes = await readFile(unetModelPath);
    const what = 'unet/model.onnx';
    const writerModel = deriveBankWriter(bytes, what);
    const readerModel = deriveBankReader(bytes, what, { crossFrame: true });
    const externalDataDir = dirname(unetModelPath);
    const writer = await provider.open({
      kind: 'bytes',
      bytes: writerModel.bytes,
      externalDataDir,
      label: 'unet bank writer',
    });
    try {
      const reader = await provider.open({
        kind: 'bytes',
        bytes: readerModel.bytes,
        externalDataDir,
        label: 'unet bank reader',
      });
      return new ReferenceUnet(provider, writer, reader, readerModel.slots);
    } catch (error) {
      await provider.release(writer);
      throw error;
    }
  }

  /** Runs the UNet on the reference and keeps its K/V. Also returns the writer's out_sample. */
  async writeBank(
    feeds: Record<string, ort.Tensor>,
  ): Promise<{ bank: ReferenceBank; outSample: ort.Tensor }> {
    const out = await this.writer.run(feeds);
    const tensors = new Map<string, ort.Tensor>();
    for (const s of this.slots) {
      tensors.set(s.keyName, out[s.keyName]!);
      tensors.set(s.valueName, out[s.valueName]!);
    }
    const first = out[this.slots[0]!.keyName]!;
    return {
      bank: { slots: this.slots, tensors, tokens: Number(first.dims[1]) },
      outSample: out['out_sample']!,
    };
  }

  /** A bank with no reference tokens: the reader then equals the original UNet. */
  emptyBank(): ReferenceBank {
    const tensors = new Map<string, ort.Tensor>();
    for (const s of this.slots) {
      if (s.channels === null)
        throw new Error(`cannot size an empty bank for ${s.block}: channels unknown`);
      const t =
        s.elemType === 10
          ? new ort.Tensor('float16', new Uint16Array(0), [1, 0, s.channels])
          : new ort.Tensor('float32', new Float32Array(0), [1, 0, s.channels]);
      tensors.set(s.keyName, t);
      tensors.set(s.valueName, t);
    }
    return { slots: this.slots, tensors, tokens: 0 };
  }

  /**
   * Denoiser call attending to `bank`; returns out_sample. `crossFrame[i]`: the batch item whose
   * keys/values item i also attends to (omitted: no cross-frame attention, no extra cost).
   */
  async run(
    feeds: Record<string, ort.Tensor>,
    bank: ReferenceBank,
    crossFrame?: readonly number[],
    styleFidelity: number | readonly number[] = 0,
  ): Promise<ort.Tensor> {
    const batch = Number(feeds['sample']!.dims[0]);
    // The reader of this branch has no style_fidelity input (the one-graph reference UNet adds
    // it): only 0, reference attention only, can be honoured here.
    const fidelity = typeof styleFidelity === 'number' ? [styleFidelity] : styleFidelity;
    if (fidelity.some((f) => f !== 0) && !this.reader.inputNames.includes('style_fidelity'))
      throw new RangeError(
        'this UNet graph has no style_fidelity input: style fidelity must be 0 (reference attention only)',
      );
    if (
      crossFrame &&
      (crossFrame.length !== batch ||
        crossFrame.some((s) => !Number.isInteger(s) || s < 0 || s >= batch))
    )
      throw new RangeError(`crossFrame needs one batch index (0…${batch - 1}) per batch item`);
    const source = crossFrame ?? Array.from({ length: batch }, (_, i) => i);
    const out = await this.reader.run(
      {
        ...feeds,
        ...Object.fromEntries(bank.tensors),
        [CROSS_FRAME_SOURCE]: new ort.Tensor(
          'int64',
          BigInt64Array.from(source, (v) => BigInt(v)),
          [batch],
        ),
        // 0 tokens: the cross-frame branch is empty and costs nothing; 2^40: all of them.
        [CROSS_FRAME_TOKENS]: new ort.Tensor(
          'int64',
          BigInt64Array.from([crossFrame ? 1n << 40n : 0n]),
          [1],
        ),
      },
      ['out_sample'],
    );
    return out['out_sample']!;
  }

  async dispose(): Promise<void> {
    await this.provider.release(this.writer);
    await this.provider.release(this.reader);
  }
}

/** Concatenates banks along the token axis (several reference frames, or chained feedback). */
export function joinBanks(banks: readonly ReferenceBank[]): ReferenceBank {
  if (banks.length === 0) throw new Error('joinBanks needs at least one bank');
  if (banks.length === 1) return banks[0]!;
  const slots = banks[0]!.slots;
  const tensors = new Map<string, ort.Tensor>();
  for (const s of slots)
    for (const name of [s.keyName, s.valueName]) {
      const parts = banks.map((b) => b.tensors.get(name)!);
      const [batch, , channels] = parts[0]!.dims as number[];
      if (parts.some((p) => p.dims[0] !== batch || p.dims[2] !== channels))
        throw new Error(`banks disagree in batch or channels at ${name}`);
      const tokens = parts.reduce((n, p) => n + Number(p.dims[1]), 0);
      const type = parts[0]!.type;
      if (parts.some((p) => p.type !== type))
        throw new Error(`banks disagree in element type at ${name}`);
      // float32 data, or float16 as raw Uint16 bits: copied element-wise either way.
      const data =
        type === 'float16'
          ? new Uint16Array(batch! * tokens * channels!)
          : new Float32Array(batch! * tokens * channels!);
      // [batch, tokens, channels]: per batch item, the banks' tokens one after another.
      for (let b = 0; b < batch!; b++) {
        let at = b * tokens * channels!;
        for (const p of parts) {
          const n = Number(p.dims[1]) * channels!;
          const src = p.data as Float32Array | Uint16Array;
          data.set(src.subarray(b * n, (b + 1) * n) as never, at);
          at += n;
        }
      }
      tensors.set(
        name,
        new ort.Tensor(type as 'float32', data as Float32Array, [batch!, tokens, channels!]),
      );
    }
  return { slots, tensors, tokens: banks.reduce((n, b) => n + b.tokens, 0) };
}
