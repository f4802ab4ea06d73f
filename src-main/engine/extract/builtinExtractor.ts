/**
 * The built-in extractor: models that ship inside the `@vladmandic/human` npm package (MoveNet
 * Lightning body, handtrack + hand landmarks, BlazeFace + face mesh with irises), run by
 * TensorFlow.js on its WebAssembly backend — no download, no GPU, no native addon.
 *
 * Human and its `file://` model loader come from `engine/tfjs/humanRuntime.ts` (shared with the
 * person segmenter): nothing here may touch the network.
 */
import { pathToFileURL } from 'node:url';
import type { RgbImage } from '#shared/image/rgbImage';
import {
  assembleBuiltin,
  type RawBody,
  type RawFace,
  type RawHand,
} from '#shared/extract/builtinLayout';
import { distinctPeople, squareCrop } from '#shared/extract/personBoxes';
import type { Detection } from '#shared/extract/yolox';
import { keypointBox } from '#shared/extract/tracker';
import type { Box } from '#shared/extract/affine';
import { ExtractorError, type ExtractContext, type PoseExtractor } from './extractor';

/** Body and feet points (the first 24) outline a person for the next frame's crop. */
const BODY_END = 24 * 3;
/** Keypoints sit inside the silhouette (nose below the crown, ankles above the soles). */
const FOLLOW_PADDING = 1.5;
import type { HumanLike, HumanResultLike } from './humanTypes';
import { type HumanModule, humanModule, humanPaths } from '#main/engine/tfjs/humanRuntime';

export interface BuiltinOptions {
  /** Points scoring below this are missing (default 0.2: MoveNet scores run lower than DWPose's). */
  minScore?: number;
  hands?: boolean;
  face?: boolean;
  /**
   * People posed per picture (default 4). Above 1, CenterNet finds the people and MoveNet poses
   * each in a square crop; with one person found (or maxPeople 1) the whole frame is posed.
   */
  maxPeople?: number;
}

let shared: Promise<HumanLike> | null = null;

/** One Human per process: the tfjs wasm backend is global state. */
function loadHuman(): Promise<HumanLike> {
  shared ??= (async () => {
    const paths = humanPaths();
    let mod: HumanModule<HumanLike>;
    try {
      mod = humanModule<HumanLike>();
    } catch (e) {
      throw new ExtractorError(
        `cannot load the built-in extractor (${paths.script}): ${(e as Error).message}`,
      );
    }
    const human = new mod.Human({
      backend: 'wasm',
      wasmPath: pathToFileURL(paths.wasm).href + '/',
      modelBasePath: pathToFileURL(paths.models).href + '/',
      debug: false,
      async: false,
      // Every frame fresh: no result caching between calls (video frames are tracked by us).
      cacheSensitivity: 0,
      filter: { enabled: false },
      face: {
        enabled: true,
        detector: { rotation: false, maxDetected: 4, minConfidence: 0.3 },
        mesh: { enabled: true },
        iris: { enabled: true },
        description: { enabled: false },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
      },
      body: {
        enabled: true,
        modelPath: 'movenet-lightning.json',
        maxDetected: 1,
        minConfidence: 0.05,
      },
      hand: { enabled: true, maxDetected: 2, minConfidence: 0.3, landmarks: true },
      // CenterNet finds the people for the multi-person path (MoveNet-Lightning poses one).
      object: { enabled: true, modelPath: 'centernet.json', minConfidence: 0.2, maxDetected: 10 },
      gesture: { enabled: false },
      segmentation: { enabled: false },
    });
    await human.load();
    // Human logs and carries on when a model fails to load; a missing body model is fatal here.
    const loaded = human.models.loaded?.() ?? [];
    if (!loaded.includes('movenet'))
      throw new ExtractorError(
        `the built-in body model did not load from ${paths.models} (loaded: ${loaded.join(', ') || 'none'})`,
      );
    return human;
  })();
  shared.catch(() => (shared = null));
  return shared;
}

function toRaw(
  result: HumanResultLike,
  face: boolean,
  hands: boolean,
): { bodies: RawBody[]; faces: RawFace[]; hands: RawHand[] } {
  const bodies: RawBody[] = result.body.map((b) => ({
    score: b.score,
    keypoints: b.keypoints.map((k) => ({
      part: k.part,
      x: k.position[0],
      y: k.position[1],
      score: k.score,
    })),
  }));
  const faces: RawFace[] = face
    ? result.face.map((f) => ({
        score: f.score,
        box: f.box,
        mesh: f.mesh.map((p) => [p[0], p[1]] as const),
      }))
    : [];
  const handList: RawHand[] = hands
    ? result.hand
        .filter((h) => h.keypoints.length === 21)
        .map((h) => ({ score: h.score, points: h.keypoints.map((p) => [p[0], p[1]] as const) }))
    : [];
  return { bodies, faces, hands: handList };
}

/** The person boxes CenterNet reported, as [x0, y0, x1, y1]. */
function personDetections(result: HumanResultLike): Detection[] {
  return (result.object ?? [])
    .filter((o) => o.label === 'person')
    .map((o) => ({
      box: [o.box[0], o.box[1], o.box[0] + o.box[2], o.box[1] + o.box[3]],
      score: o.score,
    }));
}

export async function createBuiltinExtractor(options: BuiltinOptions = {}): Promise<PoseExtractor> {
  const human = await loadHuman();
  const minScore = options.minScore ?? 0.2;
  const face = options.face ?? true;
  const hands = options.hands ?? true;
  const multi =
    (options.maxPeople ?? 4) > 1 && (human.models.loaded?.() ?? []).includes('centernet');
  const maxPeople = multi ? (options.maxPeople ?? 4) : 1;
  // Human merges the config of each call into its own: every call states every model's switch.
  const frameConfig = {
    face: { enabled: face, detector: { maxDetected: maxPeople } },
    hand: { enabled: hands, maxDetected: Math.min(2 * maxPeople, 4) },
    body: { enabled: true },
    object: { enabled: multi },
  };
  const bodyConfig = {
    face: { enabled: false },
    hand: { enabled: false },
    body: { enabled: true },
    object: { enabled: false },
  };
  const detect = async (image: RgbImage, config: unknown): Promise<HumanResultLike> => {
    const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const result = await human.detect(tensor, config);
      if (result.error) throw new ExtractorError(`built-in extractor failed: ${result.error}`);
      return result;
    } finally {
      human.tf.dispose(tensor);
    }
  };
  return {
    info: {
      name: 'builtin',
      models: `MoveNet-Lightning${multi ? ' + CenterNet people' : ''} + handtrack/handlandmark-lite + BlazeFace/facemesh/iris (tfjs-wasm)`,
      maxPeople,
    },
    async extract(image: RgbImage, context?: ExtractContext): Promise<Float64Array[]> {
      // In a video, people found in the previous frame give the crops and CenterNet (the costly
      // part) only runs on the frames the importer asks to re-detect on.
      const follow = multi && context?.previousPeople?.length ? context.previousPeople : null;
      const result = await detect(
        image,
        follow ? { ...frameConfig, object: { enabled: false } } : frameConfig,
      );
      const raw = toRaw(result, face, hands);
      const boxes: { box: Box; padding: number }[] = follow
        ? follow.flatMap((p) => {
            const box = keypointBox(p.subarray(0, BODY_END));
            return box ? [{ box, padding: FOLLOW_PADDING }] : [];
          })
        : multi
          ? distinctPeople(personDetections(result), 0.25, maxPeople).map((d) => ({
              box: d.box,
              padding: 1.25,
            }))
          : [];
      if (boxes.length >= 1) {
        raw.bodies = [];
        for (const det of boxes) {
          const { crop, x0, y0 } = squareCrop(image, det.box, det.padding);
          const [body] = toRaw(await detect(crop, bodyConfig), false, false).bodies;
          if (!body) continue;
          for (const k of body.keypoints) {
            k.x += x0;
            k.y += y0;
          }
          raw.bodies.push(body);
        }
      }
      return assembleBuiltin(raw.bodies, raw.faces, raw.hands, minScore).filter(
        (p) => countPresent(p) >= 3,
      );
    },
    async close() {
      // The shared Human stays loaded for the next extractor of this process.
    },
  };
}

function countPresent(points: Float64Array): number {
  let n = 0;
  for (let i = 2; i < points.length; i += 3) if (points[i]! > 0) n++;
  return n;
}
