/**
 * TensorFlow.js on its WebAssembly backend as `@vladmandic/human` bundles it, shared by the
 * built-in pose extractor and the person segmenter: the module is loaded once per process and the
 * `file://` model loader is registered once (tfjs refuses a URL that two loaders claim).
 *
 * Human is loaded by absolute path (its package `exports` map is malformed) and models are read
 * from disk: Node's fetch cannot read file URLs, and nothing here may touch the network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export function humanPaths(): { script: string; models: string; wasm: string } {
  const root = dirname(dirname(require.resolve('@vladmandic/human')));
  const wasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return {
    script: join(root, 'dist/human.node-wasm.js'),
    models: join(root, 'models'),
    wasm,
  };
}

type ArtifactsLoader = (
  json: unknown,
  loadWeights: (
    manifest: { paths: string[]; weights: unknown[] }[],
  ) => Promise<[unknown[], ArrayBuffer]>,
) => Promise<unknown>;

/** The slice of tfjs's io API the loader needs. */
interface TfIo {
  registerLoadRouter(router: (url: string | string[]) => unknown): void;
  getModelArtifactsForJSON: unknown;
}

/** tfjs IO router for file:// model URLs: model.json plus its weight shards from disk. */
function fileRouter(getArtifacts: ArtifactsLoader) {
  return (url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return {
      load: async () => {
        const file = fileURLToPath(url);
        const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
        return getArtifacts(json, async (manifest) => {
          const specs: unknown[] = [];
          const parts: Buffer[] = [];
          for (const group of manifest) {
            specs.push(...group.weights);
            for (const p of group.paths) parts.push(await readFile(join(dirname(file), p)));
          }
          const all = Buffer.concat(parts);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
        });
      },
    };
  };
}

/** Human's module: its `Human` class, whose instances all share one bundled `tf`. */
export interface HumanModule<H> {
  Human: new (config: unknown) => H;
}

let loaded: HumanModule<unknown> | null = null;

/**
 * Human's module, loaded once, with the file:// loader registered on its tfjs. Throws what
 * `require` threw (the callers wrap it in their own error kind).
 */
export function humanModule<H extends { tf: { io: TfIo } }>(): HumanModule<H> {
  if (!loaded) {
    const mod = require(humanPaths().script) as HumanModule<H>;
    // A throwaway instance reaches the bundled tf; every Human made later shares it.
    const probe = new mod.Human({ backend: 'wasm', debug: false });
    probe.tf.io.registerLoadRouter(
      fileRouter(probe.tf.io.getModelArtifactsForJSON as ArtifactsLoader),
    );
    loaded = mod as HumanModule<unknown>;
  }
  return loaded as HumanModule<H>;
}
