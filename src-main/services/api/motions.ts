import { ApiError, type MotionSource, type MotionSummary } from '#shared/api/index';
import { toPoseTrack } from '#shared/project/convert';
import type { TrackJson } from '#shared/project/schema';
import { motionPreview } from '#shared/pose/motions/motionPick';
import { SAMPLE_PROJECT_DIR } from '#main/project/sampleCopy';
import { loadProject } from '#main/project/projectStore';
import { projectApiError } from './projectAdapter';
import type { ProjectSession } from './ports';

export interface MotionDeps {
  /** The open project, or null (the shipped motions are listed without one). */
  project: () => ProjectSession | null;
  /** The project whose tracks are the shipped motions (tests give another). */
  sampleDir?: string;
}

async function tracksOf(
  dir: string,
): Promise<{ tracks: TrackJson[]; current?: string | undefined }> {
  try {
    const { project } = await loadProject(dir);
    return { tracks: project.tracks, current: project.render.trackId ?? project.tracks[0]?.id };
  } catch (e) {
    throw projectApiError(e);
  }
}

function summary(source: MotionSource, track: TrackJson, current: boolean): MotionSummary {
  const pose = toPoseTrack(track);
  const last = Math.max(-1, ...track.people.flatMap((l) => l.keyframes.map((k) => k.frame)));
  return {
    source,
    id: track.id,
    name: track.name,
    keyframes: track.people.reduce((n, l) => n + l.keyframes.length, 0),
    seconds: (last + 1) / track.fps,
    current,
    preview: motionPreview(pose, track.fps),
  };
}

/**
 * The motion picker's handlers: the shipped motions are the sample project's tracks (wave, walk,
 * jump, dance — made by assets/scripts/makeSamples.ts); the project's own are its tracks (imported
 * pose files and BVH clips, picked motions). Read from disk on every call, so an import shows at
 * once; previews are computed here so the list stays small on the wire.
 */
export function motionHandlers(deps: MotionDeps) {
  const sampleDir = deps.sampleDir ?? SAMPLE_PROJECT_DIR;
  const shipped = () => tracksOf(sampleDir);
  const own = async (): Promise<{ tracks: TrackJson[]; current?: string | undefined }> => {
    const p = deps.project();
    return p ? tracksOf(p.folder) : { tracks: [] };
  };
  return {
    'motions.list': async (): Promise<MotionSummary[]> => {
      const [s, o] = await Promise.all([shipped(), own()]);
      return [
        ...s.tracks.map((t) => summary('shipped', t, false)),
        ...o.tracks
          .filter((t) => t.people.some((l) => l.keyframes.length > 0))
          .map((t) => summary('project', t, t.id === o.current)),
      ];
    },
    'motions.get': async (p: { source: MotionSource; id: string }): Promise<TrackJson> => {
      const { tracks } = p.source === 'shipped' ? await shipped() : await own();
      const track = tracks.find((t) => t.id === p.id);
      if (!track)
        throw new ApiError(
          'not-found',
          `there is no motion "${p.id}" ${p.source === 'shipped' ? 'shipped with Pose Studio' : 'in this project'}`,
          'Pick one of the motions the picker lists.',
        );
      return track;
    },
  };
}
