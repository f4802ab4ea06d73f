/**
 * Rules that span fields, checked once the shape of a project is right. Each problem carries the
 * path of the field a user has to change.
 */
import { needsEvenSides } from '#shared/render/outputSize';
import { MAX_OUTPUT_PIXELS, MAX_OUTPUT_SIDE, pointsProblem } from './limits';
import type { Project } from './schema';

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

export function checkProjectRules(project: Project): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  firstDuplicate(
    project.characters.map((c) => c.id),
    (i, j) =>
      add(
        ['characters', i, 'id'],
        `"${project.characters[i]!.id}" is already used by characters[${j}]`,
      ),
  );
  firstDuplicate(
    project.tracks.map((t) => t.id),
    (i, j) =>
      add(['tracks', i, 'id'], `"${project.tracks[i]!.id}" is already used by tracks[${j}]`),
  );

  project.tracks.forEach((track, t) => {
    firstDuplicate(
      track.people.map((p) => p.personId),
      (i, j) =>
        add(
          ['tracks', t, 'people', i, 'personId'],
          `${track.people[i]!.personId} is already used by tracks[${t}].people[${j}]`,
        ),
    );
    const keyframeIds = new Map<string, string>();
    track.people.forEach((lane, p) => {
      lane.keyframes.forEach((kf, k) => {
        const here = `tracks[${t}].people[${p}].keyframes[${k}]`;
        const prev = lane.keyframes[k - 1];
        if (prev && kf.frame <= prev.frame) {
          add(
            ['tracks', t, 'people', p, 'keyframes', k, 'frame'],
            kf.frame === prev.frame
              ? `${kf.frame} is the same frame as keyframes[${k - 1}] (one keyframe per frame)`
              : `${kf.frame} comes before keyframes[${k - 1}].frame ${prev.frame} (keyframes must be sorted by frame)`,
          );
        }
        // The schema bounds points by the largest canvas; here by the track's own.
        const bad = pointsProblem(kf.points, track.width, track.height);
        if (bad) add(['tracks', t, 'people', p, 'keyframes', k, 'points', bad.index], bad.message);
        const other = keyframeIds.get(kf.id);
        if (other !== undefined)
          add(
            ['tracks', t, 'people', p, 'keyframes', k, 'id'],
            `"${kf.id}" is already used by ${other}`,
          );
        else keyframeIds.set(kf.id, here);
      });
    });
  });

  const { output, render } = project;
  if (output.range.to <= output.range.from)
    add(
      ['output', 'range', 'to'],
      `${output.range.to} must be greater than output.range.from ${output.range.from} (the range is [from, to), to excluded)`,
    );
  if (output.width * output.height > MAX_OUTPUT_PIXELS)
    add(
      ['output', 'height'],
      `${output.width}×${output.height} is more than ${MAX_OUTPUT_PIXELS.toLocaleString('en-US')} pixels per frame (8K: 8192×4320; sides up to ${MAX_OUTPUT_SIDE})`,
    );
  if (needsEvenSides(output.format)) {
    if (output.width % 2 !== 0)
      add(['output', 'width'], `${output.width} must be even for ${output.format} video`);
    if (output.height % 2 !== 0)
      add(['output', 'height'], `${output.height} must be even for ${output.format} video`);
  }

  if (render.segmentOverlap >= render.segmentLength)
    add(
      ['render', 'segmentOverlap'],
      `${render.segmentOverlap} must be less than render.segmentLength ${render.segmentLength}`,
    );
  if (
    render.characterId !== undefined &&
    !project.characters.some((c) => c.id === render.characterId)
  )
    add(['render', 'characterId'], `"${render.characterId}" is not the id of any character`);
  if (render.trackId !== undefined && !project.tracks.some((t) => t.id === render.trackId))
    add(['render', 'trackId'], `"${render.trackId}" is not the id of any track`);

  return issues;
}

/** Calls `found(i, j)` for every element i that repeats an earlier element j. */
function firstDuplicate<T>(values: T[], found: (i: number, j: number) => void): void {
  const seen = new Map<T, number>();
  values.forEach((v, i) => {
    const j = seen.get(v);
    if (j !== undefined) found(i, j);
    else seen.set(v, i);
  });
}
