/** Counts and one-line descriptions of a project, for `project validate`, `info` and the UI. */
import type { GeneratorSettings, Project, TrackJson } from './schema';

export interface TrackStats {
  people: number;
  keyframes: number;
  /** First and last keyframe frame over all people, or undefined for a track without keyframes. */
  firstFrame?: number;
  lastFrame?: number;
}

export function trackStats(track: TrackJson): TrackStats {
  let keyframes = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const lane of track.people) {
    keyframes += lane.keyframes.length;
    const a = lane.keyframes[0];
    const b = lane.keyframes[lane.keyframes.length - 1];
    if (a) first = Math.min(first, a.frame);
    if (b) last = Math.max(last, b.frame);
  }
  const stats: TrackStats = { people: track.people.length, keyframes };
  if (keyframes > 0) {
    stats.firstFrame = first;
    stats.lastFrame = last;
  }
  return stats;
}

/** Frames the output range covers (`to` is excluded). */
export function outputFrameCount(project: Project): number {
  return project.output.range.to - project.output.range.from;
}

export function describeGenerator(g: GeneratorSettings): string {
  if (g.id === 'puppet') return `puppet (background ${g.params.background})`;
  const p = g.params;
  return `diffusion (pack ${p.pack}, ${p.steps} steps, guidance ${p.guidance}${p.seed !== undefined ? `, seed ${p.seed}` : ''})`;
}

/** A few lines a person can read: what the project holds and what a render would do. */
export function describeProject(project: Project): string[] {
  const { output, render } = project;
  const frames = outputFrameCount(project);
  const lines = [
    `characters: ${project.characters.length}${listNames(project.characters)}`,
    `tracks: ${project.tracks.length}${
      project.tracks.length
        ? ` (${project.tracks
            .map((t) => {
              const s = trackStats(t);
              const span = s.keyframes
                ? `, keyframes at frames ${s.firstFrame}–${s.lastFrame}`
                : '';
              return `${t.name}: ${plural(s.people, 'person', 'people')}, ${plural(s.keyframes, 'keyframe', 'keyframes')}${span}, ${t.width}×${t.height} @ ${t.fps} fps`;
            })
            .join('; ')})`
        : ''
    }`,
    `frames: ${frames} [${output.range.from}, ${output.range.to}) = ${(frames / output.fps).toFixed(2)} s at ${output.fps} fps`,
    `output: ${output.width}×${output.height} ${output.format}${output.audio ? `, audio ${output.audio}` : ''}`,
    `generator: ${describeGenerator(project.generator)}`,
    `render: character ${render.characterId ?? '(none chosen)'}, track ${render.trackId ?? '(none chosen)'}, segments of ${render.segmentLength} overlapping ${render.segmentOverlap}, ${render.strategy}, seed ${render.seed}`,
  ];
  return lines;
}

function listNames(items: { name: string }[]): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, 5).map((i) => i.name);
  return ` (${shown.join(', ')}${items.length > 5 ? `, … ${items.length - 5} more` : ''})`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
