import { describe, expect, it } from 'vitest';
import { ClipTokenizer } from './clipTokenizer';

// A miniature CLIP vocabulary: enough to check the pipeline shape without file access
// (the real vocabulary is tested in test/integration/diffusion/packLoader.test.ts).
const vocab = {
  'a</w>': 0,
  c: 1,
  a: 2,
  t: 3,
  ca: 4,
  'cat</w>': 5,
  't</w>': 6,
  'c</w>': 7,
  '<|startoftext|>': 8,
  '<|endoftext|>': 9,
};
const merges = '#version: 0.2\nc a\nca t</w>\n';

describe('ClipTokenizer', () => {
  it('merges byte-level BPE with </w> word ends and wraps in start/end', () => {
    const tok = new ClipTokenizer({ vocab, merges });
    expect(tok.tokens('A CAT')).toEqual(['a</w>', 'cat</w>']);
    expect(tok.ids('a   cat')).toEqual([8, 0, 5, 9]);
  });

  it('pads to the model length with the pad token and truncates keeping the end token', () => {
    const tok = new ClipTokenizer({
      vocab,
      merges,
      config: { model_max_length: 5, pad_token: '<|endoftext|>' },
    });
    expect(Array.from(tok.encodeForTextEncoder('cat').ids)).toEqual([8, 5, 9, 9, 9]);
    const long = tok.encodeForTextEncoder('cat cat cat cat');
    expect(long.truncated).toBe(true);
    expect(Array.from(long.ids)).toEqual([8, 5, 5, 5, 9]);
  });

  it('refuses files that are not a CLIP tokenizer', () => {
    expect(() => new ClipTokenizer({ vocab: { a: 1 }, merges })).toThrow(/not a CLIP vocabulary/);
    expect(() => new ClipTokenizer({ vocab: ['x'], merges })).toThrow(/vocab.json/);
    expect(() => new ClipTokenizer({ vocab, merges: '#version: 0.2\n' })).toThrow(/no merges/);
    expect(() => new ClipTokenizer({ vocab, merges: 'a b c\n' })).toThrow(/pairs/);
  });
});
