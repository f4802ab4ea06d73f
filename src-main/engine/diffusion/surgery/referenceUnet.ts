import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '#main/engine/diffusion/rewrite/graphEdit';
import { rewriteForProvider } from '#main/engine/diffusion/rewrite/rewriteForProvider';
import type { SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';
import {
  BANK_OUTPUT_TOKENS,
  CROSS_FRAME_SOURCE,
  CROSS_FRAME_TOKENS,
  deriveReferenceUnet,
  type BankSlot,
} from './referenceAttention';
import { STYLE_FIDELITY } from './styleFidelity';
import { UnsupportedGraphError } from './selfAttentionBlocks';

/** Keys and values of every self-attention block for one reference, by bank input name. */
export interface ReferenceBank {
  readonly slots: readonly BankSlot[];
  readonly tensors: ReadonlyMap<string, ort.Tensor>;
  /** Reference tokens per block (0 for the empty bank). */
  readonly tokens: number;
}

/**
 * The pack's UNet made by graph surgery into one reference UNet (deriveReferenceUnet): one
 * session, one copy of the weights, used as bank writer (one pass on the reference fills the
 * bank), bank reader (every denoiser call attends to the bank as well) and plain UNet (the empty
 * bank). Before the surgery the graph is rewritten for the provider it will run on
 * (rewrite/rewriteForProvider.ts): a DirectML-fused pack runs on the CPU provider.
 */
export class ReferenceUnet {
  private constructor(
    private readonly provider: SessionProvider,
    readonly session: ort.InferenceSession,
    readonly slots: readonly BankSlot[],
    /** What the graph needed for its provider and what attention forms it had (reports). */
    readonly changes: readonly string[],
    readonly runsOn: string,
  ) {}

  /**
   * `tiled: false` keeps unfused attention unfused (tests and benchmarks compare the two; the
   * product always tiles what it can, surgery/tiledAttention.ts).
   */
  static async open(
    unetModelPath: string,
    provider: SessionProvider,
    options: { tiled?: boolean } = {},
  ): Promise<ReferenceUnet> {
    const bytes = await readFile(unetModelPath);
    const what = 'unet/model.onnx';
    const externalDataDir = dirname(unetModelPath);
    const problems: string[] = [];
    for (const target of [...new Set([...provider.providers, 'cpu'])]) {
      // A fresh decode per attempt: rewrites and surgery edit the decoded graph in place.
      const rewritten = rewriteForProvider(decodeModel(bytes, what), target, what);
      if ('refused' in rewritten) {
        problems.push(rewritten.refused);
        continue;
      }
      const derived = deriveReferenceUnet(rewritten.model, what, options);
      try {
        const session = await provider.open({
          kind: 'bytes',
          bytes: derived.bytes,
          externalDataDir,
          label: 'unet (reference attention)',
          providers: [target],
        });
        const forms = [...new Set(derived.forms)].map((f) => `self-attention: ${f}`);
        return new ReferenceUnet(
          provider,
          session,
          derived.slots,
          [...rewritten.changes, ...forms],
          target,
        );
      } catch (error) {
        problems.push(`${target}: ${(error as Error).message}`);
      }
    }
    throw new UnsupportedGraphError(
      `${what} cannot run on ${provider.providers.join(', ')}: ${problems.join('; ')}`,
    );
  }

  /** Runs the UNet on the reference and keeps its K/V. Also returns its out_sample. */
  async writeBank(
    feeds: Record<string, ort.Tensor>,
  ): Promise<{ bank: ReferenceBank; outSample: ort.Tensor }> {
    const fetches = ['out_sample', ...this.slots.flatMap((s) => [s.writtenKey, s.writtenValue])];
    const out = await this.session.run(
      { ...this.feeds(feeds, this.emptyBank()), [BANK_OUTPUT_TOKENS]: tokens(ALL) },
      fetches,
    );
    const tensors = new Map<string, ort.Tensor>();
    for (const s of this.slots) {
      tensors.set(s.keyName, out[s.writtenKey]!);
      tensors.set(s.valueName, out[s.writtenValue]!);
    }
    const first = out[this.slots[0]!.writtenKey]!;
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
   * `styleFidelity`: one value or one per batch item (0, the default: reference attention only).
   */
  async run(
    feeds: Record<string, ort.Tensor>,
    bank: ReferenceBank,
    crossFrame?: readonly number[],
    styleFidelity: number | readonly number[] = 0,
  ): Promise<ort.Tensor> {
    const out = await this.session.run(this.feeds(feeds, bank, crossFrame, styleFidelity), [
      'out_sample',
    ]);
    return out['out_sample']!;
  }

  private feeds(
    feeds: Record<string, ort.Tensor>,
    bank: ReferenceBank,
    crossFrame?: readonly number[],
    styleFidelity: number | readonly number[] = 0,
  ): Record<string, ort.Tensor> {
    const batch = Number(feeds['sample']!.dims[0]);
    if (
      crossFrame &&
      (crossFrame.length !== batch ||
        crossFrame.some((s) => !Number.isInteger(s) || s < 0 || s >= batch))
    )
      throw new RangeError(`crossFrame needs one batch index (0…${batch - 1}) per batch item`);
    const fidelity = typeof styleFidelity === 'number' ? [styleFidelity] : [...styleFidelity];
    if (
      (fidelity.length !== 1 && fidelity.length !== batch) ||
      fidelity.some((f) => !Number.isFinite(f) || f < 0 || f > 1)
    )
      throw new RangeError(
        `styleFidelity needs one value in 0…1, or one per batch item (${batch})`,
      );
    const source = crossFrame ?? Array.from({ length: batch }, (_, i) => i);
    return {
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
      [STYLE_FIDELITY]: new ort.Tensor('float32', Float32Array.from(fidelity), [fidelity.length]),
      [BANK_OUTPUT_TOKENS]: tokens(0n),
    };
  }

  async dispose(): Promise<void> {
    await this.provider.release(this.session);
  }
}

/** A Slice end of 2^40 takes every token. */
const ALL = 1n << 40n;
const tokens = (n: bigint) => new ort.Tensor('int64', BigInt64Array.from([n]), [1]);

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
