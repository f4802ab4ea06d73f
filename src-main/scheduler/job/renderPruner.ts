import type { RenderPlan } from '#shared/render/plan';
import { liveJobSegments, pruneCache, type PruneResult } from '#main/scheduler/cache/cachePruner';

/** What the cache pruning after a finished render (or on a full disk) did, or why it failed. */
export type CachePruneOutcome =
  | { when: 'finished' | 'disk-full'; result: PruneResult }
  | { when: 'finished' | 'disk-full'; error: Error };

/**
 * Pruning for one render: keeps this plan's segments, those of renders not finished (their
 * manifests), and anything written since this render started (its diffusion banks). Never throws:
 * the render's result does not depend on it.
 */
export function renderPruner(
  projectDir: string,
  plan: RenderPlan,
  maxBytes: number,
  started: number,
  report: (o: CachePruneOutcome) => void,
): (when: 'finished' | 'disk-full', freeBytes?: number) => Promise<PruneResult | null> {
  return async (when, freeBytes) => {
    try {
      const keep = await liveJobSegments(projectDir);
      for (const s of plan.segments) keep.add(s.hash);
      const result = await pruneCache(projectDir, {
        maxBytes,
        keep,
        keepModifiedSince: started,
        ...(freeBytes !== undefined ? { freeBytes } : {}),
      });
      report({ when, result });
      return result;
    } catch (e) {
      report({ when, error: e instanceof Error ? e : new Error(String(e)) });
      return null;
    }
  };
}
