/**
 * How the puppet samples the picture at the warp's per-pixel sources: `smooth` (the default)
 * is bilinear; `fast` is nearest (jagged edges, about half the per-frame cost; transition
 * previews use it). One list for the engine protocol, the engine's puppet and its callers.
 */
export const PUPPET_QUALITIES = ['smooth', 'fast'] as const;

export type PuppetQuality = (typeof PUPPET_QUALITIES)[number];
