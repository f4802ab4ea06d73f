import { hashOf } from '#shared/render/hash';
import { planRender, type PlanSettings } from '#shared/render/plan';

// The plans and poses the segment runner's tests render with FakeWorker: W×H frames, 18 points
// that move with the frame number, so every frame (and its hash) differs.

export const W = 32;
export const H = 24;

export function pose(frame: number, shift = 0): Float64Array {
  const p = new Float64Array(408);
  for (let i = 0; i < 18; i++) {
    p[i * 3] = (frame + i * 3 + shift) % W;
    p[i * 3 + 1] = (i * 5) % H;
    p[i * 3 + 2] = 1;
  }
  return p;
}

/** A plan of frames 0…to (T = 8); `edit` shifts one frame's pose, as an edit in the editor would. */
export function setup(
  strategy: PlanSettings['strategy'],
  to = 50,
  edit?: number,
  fusionGroupWindows?: number,
) {
  const poseAt = (f: number) => pose(f, f === edit ? 7 : 0);
  const plan = planRender(
    {
      from: 0,
      to,
      segmentLength: 8,
      segmentOverlap: strategy === 'independent' ? 0 : 2,
      strategy,
      anchorFrame: -1,
      ...(fusionGroupWindows ? { fusionGroupWindows } : {}),
    },
    { frameHash: (f) => hashOf(poseAt(f)), settingsHash: 's' },
  );
  const poses = (s: { windowStart: number; windowEnd: number }) =>
    Array.from({ length: s.windowEnd - s.windowStart }, (_, i) => poseAt(s.windowStart + i));
  return { plan, poses, poseAt };
}
