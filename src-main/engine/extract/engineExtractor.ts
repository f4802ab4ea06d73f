/**
 * A PoseExtractor whose work happens in the engine process: each frame is sent to the engine
 * (structured clone, no JSON) and posed there, so tfjs-wasm / ONNX Runtime never block the
 * caller. The video importer uses it exactly like an in-process extractor.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import type { EngineClient, EngineExtractorChoice } from '#main/engine/client/engineClient';
import type { ExtractContext, ExtractorInfo, PoseExtractor } from './extractor';

const MODELS: Record<EngineExtractorChoice['name'], string> = {
  builtin: 'CenterNet + MoveNet-Lightning + handtrack + face mesh (tfjs-wasm, engine process)',
  dwpose: 'YOLOX-L + DWPose-L 384 (ONNX Runtime, engine process)',
};

export class EngineExtractor implements PoseExtractor {
  readonly info: ExtractorInfo;

  constructor(
    private readonly engine: EngineClient,
    private readonly choice: EngineExtractorChoice = { name: 'builtin' },
    private readonly minScore?: number,
  ) {
    this.info = {
      name: choice.name,
      models: MODELS[choice.name],
      maxPeople: choice.name === 'builtin' ? 4 : 64,
    };
  }

  extract(image: RgbImage, context?: ExtractContext): Promise<Float64Array[]> {
    return this.engine.extractFramePoses({
      frame: image,
      extractor: this.choice,
      ...(this.minScore !== undefined ? { minScore: this.minScore } : {}),
      ...(context?.previousPeople ? { previousPeople: context.previousPeople } : {}),
    });
  }

  /** The engine keeps its extractors loaded; closing the engine client frees them. */
  async close(): Promise<void> {}
}
