import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import type { HeldFrame } from '#shared/diffusion/longVideo/interleavedSampler';
import type { SegmentRequest } from '#shared/render/worker';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import { encodeImage } from '#main/engine/diffusion/pipeline/vae';

/**
 * A fusion group that continues the previous one (its first window is `after` the previous
 * group's last segment): the frames before the first delivered one, [windowStart, start), were
 * generated and delivered by the previous group, so they are held to those frames (VAE-encoded)
 * at every step. The noise that brings a held frame to a step's level is the frame's own seeded
 * initial noise — the noise the previous group started that frame from — so with DDIM the held
 * latent is close to where the previous group's trajectory was at that step.
 */
export async function heldBoundary(
  pack: OpenPack,
  seed: number,
  req: SegmentRequest,
  from: number,
  latentSize: number,
): Promise<HeldFrame[]> {
  const seg = req.segment;
  if (seg.after.length === 0) return [];
  const lead = seg.start - seg.windowStart;
  const previous = req.dependencies[0];
  if (seg.after.length !== 1 || !previous || previous.length < lead)
    throw new RangeError(
      `fusion group from segment ${seg.index} continues segment ${seg.after.join(', ')}: ` +
        `it needs that segment's last ${lead} frames, got ${previous?.length ?? 'no'} frames`,
    );
  const held: HeldFrame[] = [];
  for (const [k, image] of previous.slice(previous.length - lead).entries()) {
    const frame = seg.windowStart + k;
    held.push({
      position: frame - from,
      clean: await encodeImage(pack, image),
      noise: frameNoise(seed, frame, latentSize),
    });
  }
  return held;
}
