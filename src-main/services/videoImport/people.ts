/**
 * The people the tracker followed through a video, as the user chooses between them: how many
 * frames each is in, the frame where most of them are seen together, and their boxes there.
 */
import { STRIDE, type PoseFrame } from '#shared/pose/types';
import type { VideoPerson } from '#shared/api/videoImport';

/** Body and feet points (the first 24 of 136) decide a person's box: hands and face stay inside. */
const BODY_POINTS = 24;

export function personBox(points: Float64Array): VideoPerson['box'] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < BODY_POINTS * STRIDE; i += STRIDE) {
    if (!(points[i + 2]! > 0)) continue;
    const x = points[i]!;
    const y = points[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  if (!(x1 >= x0 && y1 >= y0)) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The first frame showing the most people (so every choice can be pointed at), or 0. */
export function stillFrameIndex(frames: readonly PoseFrame[]): number {
  let best = 0;
  for (let i = 1; i < frames.length; i++)
    if (frames[i]!.people.length > frames[best]!.people.length) best = i;
  return best;
}

/** Every person seen, most frames first, with their box on frame `still`. */
export function peopleOf(frames: readonly PoseFrame[], still: number): VideoPerson[] {
  const counts = new Map<number, number>();
  for (const f of frames) for (const p of f.people) counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
  const shown = frames[still]?.people ?? [];
  return [...counts]
    .map(([id, n]) => {
      const there = shown.find((p) => p.id === id);
      return { id, frames: n, box: there ? personBox(there.points) : null };
    })
    .sort((a, b) => b.frames - a.frames || a.id - b.id);
}

/** Only one person's poses, frame by frame, as person 0 (frames without them keep no one). */
export function onlyPerson(frames: readonly PoseFrame[], id: number): PoseFrame[] {
  return frames.map((f) => ({
    ...f,
    people: f.people.filter((p) => p.id === id).map((p) => ({ id: 0, points: p.points })),
  }));
}
