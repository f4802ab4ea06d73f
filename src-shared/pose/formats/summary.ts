import { PARTS, type PartName } from '#shared/pose/skeleton';
import { STRIDE, type PoseFrame } from '#shared/pose/types';

/** Points present per part of one person, e.g. `{ body: 14, feet: 0, … }`. */
export type PartCounts = Record<PartName, number>;

/** What `poses inspect` shows of a frame: per person, the points present in each part. */
export function summarizeFrame(frame: PoseFrame): { id: number; present: PartCounts }[] {
  return frame.people.map((p) => {
    const present = {} as PartCounts;
    for (const [name, range] of Object.entries(PARTS) as [PartName, (typeof PARTS)[PartName]][]) {
      let n = 0;
      for (let k = 0; k < range.count; k++) if (p.points[(range.start + k) * STRIDE + 2]! > 0) n++;
      present[name] = n;
    }
    return { id: p.id, present };
  });
}
