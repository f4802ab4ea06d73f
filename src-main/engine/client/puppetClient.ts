/**
 * The puppet requests: sets characters up in the engine (and again, under the same ids, after a
 * restart), turns poses into frames (patches over each character's background plate), releases
 * characters.
 */
import type { z } from 'zod';
import type { RgbImage } from '#shared/image/rgbImage';
import { type PackedPixels, unpackPixels } from '#shared/image/pixelRuns';
import { applyFramePatch } from '#shared/puppet/framePatch';
import {
  type CharacterInfoSchema,
  CharacterSetupResultSchema,
  FramePatchSchema,
  type SetupPayload,
} from '#main/engine/protocol';
import type { EngineConnection } from './connection';
import { EngineRequestError } from './errors';

/**
 * A character to set up: the picture, its reference pose (136×3 numbers in picture pixels; c <= 0
 * is a missing point), an optional mask, the plate colour behind a transparent picture (RGB 0–255,
 * default white), layer order overrides per bone (higher = nearer, e.g. { rUpperArm: -1 }) and the
 * quality ('smooth', the default, bilinear; or 'fast', nearest sampling, about half the cost).
 */
export type CharacterSetup = z.infer<typeof SetupPayload>;
export type CharacterInfo = z.infer<typeof CharacterInfoSchema>;

/** At most this many poses go in one message (the protocol's limit); more are sent in batches. */
const MAX_POSES_PER_MESSAGE = 1024;
const SETUP_TIMEOUT_MS = 120_000;

/** The mask and part map a character was set up with (picture size, one byte per pixel). */
export interface CharacterLayers {
  width: number;
  height: number;
  /** 1 = character. */
  mask: Uint8Array;
  /** Bone index owning each pixel; 255 = background. */
  parts: Uint8Array;
}

/** A plane the engine sent (raw or as runs), of the size the character's frames have. */
function unpacked(packed: PackedPixels, channels: number, pixels: number, what: string) {
  try {
    return unpackPixels(packed, channels, pixels);
  } catch {
    throw new EngineRequestError(`engine returned a ${what} of the wrong size`, 'internal');
  }
}

/** A plate (and its alpha) of the size the engine says the character's frames have. */
function checkedPlate(
  plate: PackedPixels,
  info: { width: number; height: number },
  alpha?: PackedPixels,
): { rgb: Uint8Array; alpha?: Uint8Array } {
  const n = info.width * info.height;
  const rgb = unpacked(plate, 3, n, 'background plate');
  return alpha ? { rgb, alpha: unpacked(alpha, 1, n, 'background plate') } : { rgb };
}

/** The mask and part map, checked against the character's size. */
function checkedLayers(
  result: { mask: PackedPixels; parts: PackedPixels },
  info: { width: number; height: number },
): CharacterLayers {
  const n = info.width * info.height;
  return {
    width: info.width,
    height: info.height,
    mask: unpacked(result.mask, 1, n, 'mask'),
    parts: unpacked(result.parts, 1, n, 'mask'),
  };
}

export class PuppetClient {
  private nextCharacter = 1;
  private readonly setups = new Map<string, CharacterSetup>();
  /** Each character's background plate: frames arrive as patches over it. */
  private readonly plates = new Map<string, { rgb: Uint8Array; alpha?: Uint8Array }>();
  /** Each character's mask and part map, as its last setup made them. */
  private readonly layers = new Map<string, CharacterLayers>();

  constructor(private readonly connection: EngineConnection) {
    // Re-create the characters this client knows, under the same ids, in a restarted engine.
    connection.onRestart(async () => {
      for (const [characterId, setup] of this.setups) {
        const { plate, plateAlpha, mask, parts, ...info } = CharacterSetupResultSchema.parse(
          await connection.send({ type: 'setupCharacter', characterId, setup }, SETUP_TIMEOUT_MS),
        );
        this.plates.set(characterId, checkedPlate(plate, info, plateAlpha));
        this.layers.set(characterId, checkedLayers({ mask, parts }, info));
      }
    });
  }

  async setupCharacter(setup: CharacterSetup): Promise<CharacterInfo> {
    const characterId = `character-${this.nextCharacter++}`;
    // Sent, and kept for the replay after a restart: a copy (the caller may reuse its arrays) of
    // the schema's fields only (a caller's object may carry more, which need not clone).
    const kept: CharacterSetup = {
      picturePath: setup.picturePath,
      referencePose: new Float64Array(setup.referencePose),
      ...(setup.maskPath ? { maskPath: setup.maskPath } : {}),
      ...(setup.background ? { background: setup.background } : {}),
      ...(setup.layers ? { layers: setup.layers } : {}),
      ...(setup.quality ? { quality: setup.quality } : {}),
    };
    const { plate, plateAlpha, mask, parts, ...info } = CharacterSetupResultSchema.parse(
      await this.connection.request(
        { type: 'setupCharacter', characterId, setup: kept },
        SETUP_TIMEOUT_MS,
      ),
    );
    const layers = checkedLayers({ mask, parts }, info);
    this.setups.set(characterId, kept);
    this.plates.set(characterId, checkedPlate(plate, info, plateAlpha));
    this.layers.set(characterId, layers);
    return info;
  }

  /** Frames at the character picture's size, RGB, one per pose, in order. */
  async renderPuppetFrames(req: {
    characterId: string;
    poses: Float64Array[];
  }): Promise<RgbImage[]> {
    if (!this.setups.has(req.characterId))
      throw new EngineRequestError(`unknown character "${req.characterId}"`, 'bad-input');
    const frames: RgbImage[] = [];
    for (let i = 0; i < req.poses.length; i += MAX_POSES_PER_MESSAGE) {
      const poses = req.poses.slice(i, i + MAX_POSES_PER_MESSAGE);
      if (poses.length === 0) break;
      const result = (await this.connection.request(
        { type: 'renderPuppetFrames', characterId: req.characterId, poses },
        30_000 + poses.length * 500,
      )) as { frames?: unknown };
      if (!Array.isArray(result.frames) || result.frames.length !== poses.length)
        throw new EngineRequestError('engine returned the wrong number of frames', 'internal');
      const plate = this.plates.get(req.characterId);
      for (const f of result.frames) {
        const patch = FramePatchSchema.parse(f);
        try {
          if (!plate) throw new Error('no plate for this character');
          frames.push(applyFramePatch(patch, plate.rgb, plate.alpha));
        } catch (e) {
          throw new EngineRequestError(
            `engine returned a bad frame: ${(e as Error).message}`,
            'internal',
          );
        }
      }
    }
    return frames;
  }

  /**
   * The background plate a character's frames are composited over (H×W×3, the picture's size),
   * as the engine sent it at setup: where a frame differs from it, the pixel is the character's
   * (the coherence report's character mask). Undefined for an unknown character.
   */
  backgroundPlate(characterId: string): Uint8Array | undefined {
    return this.plates.get(characterId)?.rgb;
  }

  /** The mask and part map the character was set up with; undefined for an unknown character. */
  characterLayers(characterId: string): CharacterLayers | undefined {
    return this.layers.get(characterId);
  }

  /** Forgets a character here and in the engine. */
  async releaseCharacter(characterId: string): Promise<void> {
    this.setups.delete(characterId);
    this.plates.delete(characterId);
    this.layers.delete(characterId);
    await this.connection.request({ type: 'releaseCharacter', characterId }, 30_000);
  }
}
