/** Picks the extractor the user asked for: the built-in one, or DWPose from a pack folder. */
import { createBuiltinExtractor } from './builtinExtractor';
import { createDwposeExtractor } from './dwposeExtractor';
import type { PoseExtractor } from './extractor';

export type ExtractorChoice = { name: 'builtin' } | { name: 'dwpose'; packDir: string };

export async function createExtractor(
  choice: ExtractorChoice,
  options: { minScore?: number; threads?: number } = {},
): Promise<PoseExtractor> {
  if (choice.name === 'dwpose') return createDwposeExtractor(choice.packDir, options);
  return createBuiltinExtractor(
    options.minScore !== undefined ? { minScore: options.minScore } : {},
  );
}
