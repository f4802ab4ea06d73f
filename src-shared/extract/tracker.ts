/**
 * Stable person ids across video frames. Each frame's detections are matched to the live tracks
 * greedily by cost, cheapest pair first (as most top-down pose trackers do): cost = (1 − IoU of
 * the keypoint boxes) + mean distance of the shared body points ÷ the track's box diagonal. A track
 * not seen for `maxMissed` frames ends; a detection nobody claims starts a new id, never a reused one.
 */
import type { Box } from './affine';
import { iou } from './yolox';
import { BODY_COUNT } from '#shared/pose/skeleton';
import { STRIDE, type PersonPose } from '#shared/pose/types';

export interface TrackerOptions {
  /** Frames a person may be missing before their id ends (default 10). */
  maxMissed?: number;
  /** Pairs costing more are not matched (default 1.5). */
  maxCost?: number;
}

interface Track {
  id: number;
  points: Float64Array;
  box: Box;
  missed: number;
}

/** Box around the present points (body first; all points when the body is missing). */
export function keypointBox(points: Float64Array): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < points.length; i += STRIDE) {
    if (!(points[i + 2]! > 0)) continue;
    x0 = Math.min(x0, points[i]!);
    y0 = Math.min(y0, points[i + 1]!);
    x1 = Math.max(x1, points[i]!);
    y1 = Math.max(y1, points[i + 1]!);
  }
  return x0 <= x1 ? [x0, y0, Math.max(x1, x0 + 1), Math.max(y1, y0 + 1)] : null;
}

function matchCost(track: Track, points: Float64Array, box: Box): number {
  const diag = Math.hypot(track.box[2] - track.box[0], track.box[3] - track.box[1]);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < BODY_COUNT; k++) {
    const o = k * STRIDE;
    if (!(track.points[o + 2]! > 0 && points[o + 2]! > 0)) continue;
    sum += Math.hypot(track.points[o]! - points[o]!, track.points[o + 1]! - points[o + 1]!);
    n++;
  }
  const dist = n > 0 ? sum / n / Math.max(diag, 1) : 1;
  return 1 - iou(track.box, box) + dist;
}

export class PersonTracker {
  private tracks: Track[] = [];
  private nextId = 0;
  private readonly maxMissed: number;
  private readonly maxCost: number;

  constructor(options: TrackerOptions = {}) {
    this.maxMissed = options.maxMissed ?? 10;
    this.maxCost = options.maxCost ?? 1.5;
  }

  /** Ids handed out so far (the number of distinct people seen). */
  get peopleSeen(): number {
    return this.nextId;
  }

  /** Gives each detection (136-point array) an id; returns the people of this frame. */
  update(detections: readonly Float64Array[]): PersonPose[] {
    const dets = detections
      .map((points) => ({ points, box: keypointBox(points) }))
      .filter((d): d is { points: Float64Array; box: Box } => d.box !== null);
    const pairs: { t: number; d: number; cost: number }[] = [];
    this.tracks.forEach((track, t) =>
      dets.forEach((det, d) => {
        const cost = matchCost(track, det.points, det.box);
        if (cost <= this.maxCost) pairs.push({ t, d, cost });
      }),
    );
    pairs.sort((a, b) => a.cost - b.cost);
    const trackOf = new Map<number, number>();
    const usedTracks = new Set<number>();
    for (const p of pairs) {
      if (usedTracks.has(p.t) || trackOf.has(p.d)) continue;
      usedTracks.add(p.t);
      trackOf.set(p.d, p.t);
    }
    const people: PersonPose[] = [];
    dets.forEach((det, d) => {
      const t = trackOf.get(d);
      let track: Track;
      if (t === undefined) {
        track = { id: this.nextId++, points: det.points, box: det.box, missed: 0 };
        this.tracks.push(track);
      } else {
        track = this.tracks[t]!;
        track.points = det.points;
        track.box = det.box;
        track.missed = 0;
      }
      people.push({ id: track.id, points: det.points });
    });
    const seen = new Set(people.map((p) => p.id));
    for (const track of this.tracks) if (!seen.has(track.id)) track.missed++;
    this.tracks = this.tracks.filter((t) => t.missed <= this.maxMissed);
    return people.sort((a, b) => a.id - b.id);
  }
}
