import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';

/**
 * CLIP's BPE tokenizer built from a pack's `tokenizer/vocab.json` and `merges.txt` (diffusers packs
 * ship the slow-tokenizer files, not `tokenizer.json`), run by @huggingface/tokenizers. The
 * pipeline below is the one transformers' CLIPTokenizerFast serialises: NFC, whitespace
 * collapsed, lower case; split into CLIP's word pattern; byte-level BPE with `</w>` word ends;
 * `<|startoftext|>` … `<|endoftext|>` around the ids.
 */
export interface ClipTokenizerFiles {
  /** Parsed vocab.json: token → id. */
  vocab: unknown;
  /** merges.txt text. */
  merges: string;
  /** Parsed tokenizer_config.json, if the pack has one. */
  config?: unknown;
}

const vocabSchema = z.record(z.string(), z.number().int().nonnegative());
const configSchema = z
  .object({
    model_max_length: z.number().int().positive().max(4096).optional(),
    pad_token: z.union([z.string(), z.object({ content: z.string() })]).optional(),
  })
  .loose();

const startToken = '<|startoftext|>';
const endToken = '<|endoftext|>';
const wordPattern =
  "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

export class ClipTokenizer {
  /** Sequence length the text encoder expects (77 for CLIP). */
  readonly maxLength: number;
  readonly startId: number;
  readonly endId: number;
  readonly padId: number;
  private readonly tokenizer: Tokenizer;

  constructor(files: ClipTokenizerFiles) {
    const vocabResult = vocabSchema.safeParse(files.vocab);
    if (!vocabResult.success)
      throw new Error('tokenizer/vocab.json must map tokens to whole-number ids');
    const vocab = vocabResult.data;
    const merges = files.merges
      .split(/\r?\n/)
      .filter((line) => line.length > 0 && !line.startsWith('#version'));
    if (merges.length === 0) throw new Error('tokenizer/merges.txt has no merges');
    const bad = merges.find((m) => m.split(' ').length !== 2);
    if (bad !== undefined)
      throw new Error(`tokenizer/merges.txt: expected "a b" pairs, found "${bad}"`);
    const startId = vocab[startToken];
    const endId = vocab[endToken];
    if (startId === undefined || endId === undefined)
      throw new Error(
        `tokenizer/vocab.json lacks ${startToken} or ${endToken}: not a CLIP vocabulary`,
      );
    const configResult = configSchema.safeParse(files.config ?? {});
    if (!configResult.success) throw new Error('tokenizer/tokenizer_config.json is malformed');
    const config = configResult.data;
    const padToken =
      typeof config.pad_token === 'object' ? config.pad_token.content : config.pad_token;
    this.maxLength = config.model_max_length ?? 77;
    this.startId = startId;
    this.endId = endId;
    this.padId = padToken !== undefined ? (vocab[padToken] ?? endId) : endId;

    const special = (id: number, content: string, normalized: boolean) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized,
      special: true,
    });
    const tokenizerJson = {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(startId, startToken, true), special(endId, endToken, false)],
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'NFC' },
          { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
          { type: 'Lowercase' },
        ],
      },
      pre_tokenizer: {
        type: 'Sequence',
        pretokenizers: [
          { type: 'Split', pattern: { Regex: wordPattern }, behavior: 'Removed', invert: true },
          { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
        ],
      },
      post_processor: {
        type: 'RobertaProcessing',
        sep: [endToken, endId],
        cls: [startToken, startId],
        trim_offsets: false,
        add_prefix_space: false,
      },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: endToken,
        continuing_subword_prefix: '',
        end_of_word_suffix: '</w>',
        fuse_unk: false,
        byte_fallback: false,
        vocab,
        merges,
      },
    };
    this.tokenizer = new Tokenizer(tokenizerJson, {
      ...(files.config && typeof files.config === 'object' ? files.config : {}),
      tokenizer_class: 'CLIPTokenizer',
    });
  }

  /** Ids with start and end tokens, untruncated (for inspection and tests). */
  ids(text: string): number[] {
    return this.tokenizer.encode(text).ids;
  }

  /** BPE tokens without the special tokens. */
  tokens(text: string): string[] {
    return this.tokenizer.tokenize(text);
  }

  /**
   * What the text encoder eats: exactly `maxLength` ids, truncated (keeping the end token) and
   * padded with the pad token, as diffusers' pipelines tokenise prompts.
   */
  encodeForTextEncoder(text: string): { ids: Int32Array; truncated: boolean } {
    const raw = this.ids(text);
    const truncated = raw.length > this.maxLength;
    const kept = truncated ? [...raw.slice(0, this.maxLength - 1), this.endId] : raw;
    const ids = new Int32Array(this.maxLength).fill(this.padId);
    ids.set(kept);
    return { ids, truncated };
  }
}
