/**
 * What the memory estimate needs to know about a UNet-like graph (UNet or ControlNet): its
 * attentions, where they sit in the resolution pyramid, their heads and channels. Read from the
 * graph by src-main/engine/diffusion/pipeline/attentionShapes.ts; pure data here so the estimate
 * can be computed and tested anywhere.
 */
export interface AttentionShape {
  /** Module path, e.g. `down_blocks.0/attentions.0/transformer_blocks.0/attn1`. */
  scope: string;
  /** Pyramid level: tokens = (h / 2^level) · (w / 2^level) for an h × w latent. */
  level: number;
  heads: number;
  /** Self-attention (attn1: keys from the same tokens, plus the reference bank) or cross (text). */
  self: boolean;
  /**
   * Score-sized buffers ([heads, queries, keys] per item) alive at once while it runs: 1 for ONNX
   * Runtime's fused Attention / MultiHeadAttention, 2–3 for the unfused forms, read from the
   * nodes between its two MatMuls (src-main/engine/diffusion/pipeline/scoreBuffers.ts).
   */
  scoreBuffers: number;
  /** Channels of the block (null when the weight could not be read). */
  channels: number | null;
}

export interface ModelShape {
  attentions: AttentionShape[];
  /** Pyramid levels (down blocks), for the skip connections. */
  levels: number;
}

/** Channels at each level: from the attentions there, else the nearest deeper/shallower level. */
export function channelsByLevel(shape: ModelShape, fallback: number): number[] {
  const levels = Math.max(shape.levels, 1 + Math.max(-1, ...shape.attentions.map((a) => a.level)));
  const out: (number | null)[] = Array.from({ length: levels }, () => null);
  for (const a of shape.attentions)
    if (a.channels !== null) out[a.level] = Math.max(out[a.level] ?? 0, a.channels);
  // Levels without attention (SD1.5's deepest down block) have the channels of the level above.
  let last: number | null = null;
  for (let l = 0; l < levels; l++) last = out[l] = out[l] ?? last;
  last = null;
  for (let l = levels - 1; l >= 0; l--) last = out[l] = out[l] ?? last;
  return out.map((c) => c ?? fallback);
}
