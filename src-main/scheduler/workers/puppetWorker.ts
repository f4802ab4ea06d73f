import type { LayerOverrides } from '#shared/puppet/layerOrder';
import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import type { RgbImage } from '#shared/image/rgbImage';
import { fitFrame } from '#shared/render/fitFrame';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';

/** The part of the engine client (`src-main/engine/client/engineClient.ts`) a puppet worker uses. */
export interface PuppetEngine {
  setupCharacter(setup: {
    picturePath: string;
    referencePose: Float64Array;
    maskPath?: string;
    layers?: LayerOverrides;
    background?: string;
  }): Promise<{
    characterId: string;
    width: number;
    height: number;
    setupMs: number;
    warnings: CharacterWarning[];
  }>;
  renderPuppetFrames(req: { characterId: string; poses: Float64Array[] }): Promise<RgbImage[]>;
  /** The plate the character's frames are composited over (picture size, RGB), if known. */
  backgroundPlate?(characterId: string): Uint8Array | undefined;
  close(): Promise<void>;
}

export interface PuppetCharacterSetup {
  picturePath: string;
  referencePose: Float64Array;
  maskPath?: string;
  /** The user's layer per part (project file `characters[].layers`). */
  layers?: LayerOverrides;
  /** The project's puppet background ('plate' when left out; see src-shared/puppet/background). */
  background?: string;
}

/** Frames per engine call: small enough that a cancel is noticed quickly. */
const BATCH = 8;

/**
 * A render worker backed by one puppet engine process. The character is set up once, on the
 * first segment; frames come back at the picture's size and are fitted to the output size.
 */
export class PuppetWorker implements RenderWorker {
  private character: Promise<{
    characterId: string;
    warnings: CharacterWarning[];
    width: number;
    height: number;
  }> | null = null;

  constructor(
    readonly id: string,
    private readonly engine: PuppetEngine,
    private readonly setup: PuppetCharacterSetup,
    private readonly output: { width: number; height: number },
  ) {}

  /** Sets the character up in the engine (mesh, parts, plate) before the first segment. */
  async warmUp(): Promise<void> {
    await this.characterId();
  }

  /** Warnings of the character set-up (rough mask, joints outside it, …); sets it up if needed. */
  async warnings(): Promise<CharacterWarning[]> {
    return (await this.characterId()).warnings;
  }

  private characterId() {
    if (!this.character) {
      const setup = this.engine.setupCharacter(this.setup);
      // A set-up that failed (the engine died during it) is tried again by the next segment or
      // retry, instead of failing every later segment with the same remembered error.
      setup.catch(() => {
        if (this.character === setup) this.character = null;
      });
      this.character = setup;
    }
    return this.character;
  }

  /**
   * The background plate at the output size, fitted exactly as frames are (`fitFrame`), so a
   * fitted frame equals it wherever the character did not draw. Sets the character up if no
   * segment did yet; null when the engine does not give plates.
   */
  async backgroundPlate(): Promise<RgbImage | null> {
    if (!this.engine.backgroundPlate) return null;
    const { characterId, width, height } = await this.characterId();
    const data = this.engine.backgroundPlate(characterId);
    if (!data || data.length !== width * height * 3) return null;
    return fitFrame({ width, height, data }, this.output.width, this.output.height);
  }

  async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    const { segment } = req;
    const { characterId } = await this.characterId();
    const poses = req.poses.slice(
      segment.start - segment.windowStart,
      segment.end - segment.windowStart,
    );
    // Two batches in flight: the engine renders batch i + 1 while this process receives and
    // fits batch i, so the engine is never idle waiting for the next request (measured: 50.6 →
    // see docs/rendering.md for the end-to-end numbers).
    const batches: Promise<RgbImage[]>[] = [];
    const request = (at: number) =>
      this.engine.renderPuppetFrames({ characterId, poses: poses.slice(at, at + BATCH) });
    const out: RgbImage[] = [];
    try {
      for (let i = 0; i < poses.length; i += BATCH) {
        if (signal.aborted) throw new CancelledError();
        if (batches.length === 0) batches.push(request(i));
        if (i + BATCH < poses.length) batches.push(request(i + BATCH));
        const frames = await batches.shift()!;
        const fitted = frames.map((f) => fitFrame(f, this.output.width, this.output.height));
        out.push(...fitted);
        req.onFrames?.(fitted);
      }
    } finally {
      // A batch still in flight after a cancel or failure: its result is not needed, but its
      // rejection must not go unhandled.
      for (const b of batches) b.catch(() => undefined);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}
