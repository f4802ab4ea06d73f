import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { onnx } from 'onnx-proto';
import type { InferenceSession } from 'onnxruntime-node';
import { onnxProto } from '#native-models/onnxProto';
import { decodeModel } from '#main/engine/diffusion/rewrite/graphEdit';
import { rewriteForProvider } from '#main/engine/diffusion/rewrite/rewriteForProvider';
import type { SessionProvider } from './sessionProvider';

export interface OpenedModel {
  session: InferenceSession;
  /** What was rewritten (empty: the file as it is). */
  changes: string[];
}

/**
 * Opens a pack's model on the first provider of `provider.providers` that can run it, rewriting
 * the graph for that provider first when it needs it (rewrite/rewriteForProvider.ts) and applying
 * `transform` (e.g. the VAE encoder's sample → mean). A model that needs nothing is opened from
 * its file as before (the pool's own GPU → CPU fallback applies); if that fails, the next
 * provider is tried with a graph rewritten for it. Throws with every provider's reason.
 *
 * Graphs are decoded only when they may need a rewrite: ORT contrib ops (`com.microsoft`), a
 * transform, or a file small enough to check for a float16 body cheaply (weights in external
 * files, as SD exports keep them). A large single-file model without contrib ops is opened as is.
 */
export async function openForProvider(
  provider: SessionProvider,
  path: string,
  label: string,
  transform?: (model: onnx.IModelProto) => string[],
): Promise<OpenedModel> {
  const bytes = await readFile(path);
  const decodeWorthIt =
    !!transform || bytes.includes('com.microsoft') || (await stat(path)).size < 64 * 1024 * 1024;
  const problems: string[] = [];
  for (const [i, target] of [...new Set([...provider.providers, 'cpu'])].entries()) {
    let model: onnx.IModelProto | null = null;
    const changes: string[] = [];
    if (decodeWorthIt) {
      model = decodeModel(bytes, label);
      const rewritten = rewriteForProvider(model, target, label);
      if ('refused' in rewritten) {
        problems.push(rewritten.refused);
        continue;
      }
      changes.push(...rewritten.changes, ...(transform?.(model) ?? []));
    }
    try {
      if (changes.length === 0) {
        // As the file is: the first attempt keeps the provider's own order and fallback.
        const session = await provider.open({
          kind: 'file',
          path,
          label,
          ...(i === 0 ? {} : { providers: [target] }),
        });
        return { session, changes };
      }
      const session = await provider.open({
        kind: 'bytes',
        bytes: onnxProto.ModelProto.encode(model!).finish(),
        externalDataDir: dirname(path),
        label,
        providers: [target],
      });
      return { session, changes };
    } catch (error) {
      problems.push(`${target}: ${(error as Error).message}`);
    }
  }
  throw new Error(problems.join('; '));
}
