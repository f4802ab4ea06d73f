/**
 * How the puppet samples the picture inside its mesh: `smooth` (the default) is bilinear; `fast`
 * is nearest (jagged edges on rotated parts). One list for the engine protocol, the engine's
 * puppet and its callers.
 */
export const PUPPET_QUALITIES = ['smooth', 'fast'] as const;

export type PuppetQuality = (typeof PUPPET_QUALITIES)[number];

/** The sampling each quality uses. */
export type PuppetSampling = 'bilinear' | 'nearest';
