/**
 * How a render is cut into segments and how they depend on each other (see `plan.ts` for what
 * each one does). The one list the project file, the render plan, the studio's API and the
 * diffusion engine all validate against, so a new strategy is added here once.
 */
export const RENDER_STRATEGIES = ['independent', 'fused', 'interleaved', 'chained'] as const;

export type RenderStrategy = (typeof RENDER_STRATEGIES)[number];
