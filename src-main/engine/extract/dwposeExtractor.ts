/**
 * DWPose from an ONNX pack folder: the `yolox_l.onnx` person detector and the
 * `dw-ll_ucoco_384.onnx` whole-body model (RTMPose SimCC head, 133 COCO-WholeBody points), with
 * the pre- and post-processing of the reference annotator (controlnet_aux `dwpose`): letterbox
 * 640² with grey 114 → YOLOX decode + NMS → per person a 1.25-padded affine crop normalised with
 * the ImageNet mean/std → SimCC arg-max → threshold 0.3 → our 136 points.
 *
 * Input sizes are read from the models, so packs exported at other sizes work too.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '#shared/image/rgbImage';
import { letterbox, personCrop, toSource, warpToTensor } from '#shared/extract/affine';
import { decodeSimcc } from '#shared/extract/simcc';
import { DWPOSE_MIN_SCORE, WHOLEBODY_POINTS, wholeBodyToPoints } from '#shared/extract/wholeBody';
import { decodeYolox } from '#shared/extract/yolox';
import { ExtractorError, type PoseExtractor } from './extractor';

export const DWPOSE_FILES = { detector: 'yolox_l.onnx', pose: 'dw-ll_ucoco_384.onnx' } as const;

const MEAN = [123.675, 116.28, 103.53] as const;
const STD = [58.395, 57.12, 57.375] as const;

/** Runs one model; the seam lets the engine's session pool (or a test) supply sessions. */
export interface OnnxModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Input shape [1, 3, H, W]; symbolic dims as strings. */
  readonly inputShape: readonly (number | string)[];
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}

export interface DwposeOptions {
  minScore?: number;
  /** ORT threads (default: 2). */
  threads?: number;
  /** Largest number of people posed per picture (default 8; the best-scoring boxes win). */
  maxPeople?: number;
}

async function openModel(file: string, threads: number): Promise<OnnxModel> {
  try {
    await access(file);
  } catch {
    throw new ExtractorError(`DWPose pack is missing ${file}`);
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(await readFile(file), {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new ExtractorError(
      `cannot open ${file} as an ONNX model: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const meta = session.inputMetadata[0];
  const shape = meta && meta.isTensor ? meta.shape : [];
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputShape: shape,
    run: (feeds) => session.run(feeds) as Promise<Record<string, ort.Tensor>>,
    release: () => session.release(),
  };
}

/** [1, 3, H, W] with fixed H, W, or the given fallback when the model leaves them symbolic. */
function inputSize(model: OnnxModel, file: string, fallback: [number, number]): [number, number] {
  const s = model.inputShape;
  if (s.length !== 4 && s.length !== 0)
    throw new ExtractorError(`${file}: expected a [1, 3, H, W] input, got [${s.join(', ')}]`);
  const h = s[2];
  const w = s[3];
  return typeof w === 'number' && typeof h === 'number' && w > 0 && h > 0 ? [w, h] : fallback;
}

export async function openDwposePack(
  dir: string,
  options: DwposeOptions = {},
): Promise<{ detector: OnnxModel; pose: OnnxModel }> {
  const threads = options.threads ?? 2;
  const detector = await openModel(join(dir, DWPOSE_FILES.detector), threads);
  try {
    const pose = await openModel(join(dir, DWPOSE_FILES.pose), threads);
    return { detector, pose };
  } catch (e) {
    await detector.release();
    throw e;
  }
}

export async function createDwposeExtractor(
  dir: string,
  options: DwposeOptions = {},
): Promise<PoseExtractor> {
  const models = await openDwposePack(dir, options);
  return dwposeExtractorFromModels(models, options);
}

export function dwposeExtractorFromModels(
  models: { detector: OnnxModel; pose: OnnxModel },
  options: DwposeOptions = {},
): PoseExtractor {
  const { detector, pose } = models;
  const [detW, detH] = inputSize(detector, DWPOSE_FILES.detector, [640, 640]);
  const [poseW, poseH] = inputSize(pose, DWPOSE_FILES.pose, [288, 384]);
  if (pose.outputNames.length < 2)
    throw new ExtractorError(
      `${DWPOSE_FILES.pose}: expected two outputs (simcc_x, simcc_y), got ${pose.outputNames.join(', ')}`,
    );
  const minScore = options.minScore ?? DWPOSE_MIN_SCORE;
  const maxPeople = options.maxPeople ?? 8;
  return {
    info: {
      name: 'dwpose',
      models: `${DWPOSE_FILES.detector} + ${DWPOSE_FILES.pose} (onnxruntime)`,
      maxPeople,
    },
    async extract(image: RgbImage): Promise<Float64Array[]> {
      const lb = letterbox(image.width, image.height, detW, detH);
      const detInput = warpToTensor(image, lb, {
        width: detW,
        height: detH,
        fill: 114,
        halfPixel: true,
      });
      const detOut = await detector.run({
        [detector.inputNames[0]!]: new ort.Tensor('float32', detInput, [1, 3, detH, detW]),
      });
      const raw = detOut[detector.outputNames[0]!]!;
      const channels = Number(raw.dims[raw.dims.length - 1]);
      if (raw.type !== 'float32' || !(channels > 5))
        throw new ExtractorError(
          `${DWPOSE_FILES.detector}: expected a float [1, anchors, 5 + classes] output, got ${raw.type} [${raw.dims.join(', ')}]`,
        );
      const boxes = decodeYolox(raw.data as Float32Array, channels, {
        inputW: detW,
        inputH: detH,
        ratio: lb.scale,
      }).slice(0, maxPeople);
      const people: Float64Array[] = [];
      for (const det of boxes) {
        const crop = personCrop(det.box, poseW, poseH);
        const input = warpToTensor(image, crop, {
          width: poseW,
          height: poseH,
          fill: 0,
          mean: MEAN,
          std: STD,
          halfPixel: false,
        });
        const out = await pose.run({
          [pose.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, poseH, poseW]),
        });
        const sx = out[pose.outputNames[0]!]!;
        const sy = out[pose.outputNames[1]!]!;
        const k = Number(sx.dims[1]);
        if (k !== WHOLEBODY_POINTS || Number(sy.dims[1]) !== k)
          throw new ExtractorError(
            `${DWPOSE_FILES.pose}: expected ${WHOLEBODY_POINTS} keypoints, got simcc_x [${sx.dims.join(', ')}], simcc_y [${sy.dims.join(', ')}]`,
          );
        const wx = Number(sx.dims[2]);
        const wy = Number(sy.dims[2]);
        const kp = decodeSimcc(
          sx.data as Float32Array,
          sy.data as Float32Array,
          k,
          wx,
          wy,
          wx / poseW,
        );
        for (let i = 0; i < k; i++) {
          const [x, y] = toSource(crop, kp.xy[i * 2]!, kp.xy[i * 2 + 1]!);
          kp.xy[i * 2] = x;
          kp.xy[i * 2 + 1] = y;
        }
        people.push(wholeBodyToPoints(kp.xy, kp.scores, minScore));
      }
      return people;
    },
    async close() {
      await Promise.all([detector.release(), pose.release()]);
    },
  };
}
