import type { MemoryBudgetSetting } from '#shared/diffusion/memory/memoryBudget';
import { readFile } from 'node:fs/promises';
import type { LayerOverrides } from '#shared/puppet/layerOrder';
import sharp from 'sharp';
import { type PuppetBackground, backgroundIsTransparent } from '#shared/puppet/background';
import { retargetPose } from '#shared/pose/retarget';
import { PoseTrackEvaluator } from '#shared/pose/track';
import type { PoseFrame } from '#shared/pose/types';
import {
  ProjectError,
  toPoseTrack,
  type CharacterJson,
  type Project,
  type TrackJson,
} from '#shared/project/index';
import { fitCanvas } from '#shared/render/fitFrame';
import { canvasToPicture, placePicture } from '#shared/geometry/pictureCanvas';
import { ContentHasher } from '#shared/render/hash';
import type { PlanSettings } from '#shared/render/plan';
import { loadProject, type LoadedProject } from '#main/project/projectStore';
import { projectFolder, resolveInsideProject } from '#main/project/projectPaths';
import type { VideoFormat } from '#main/media/formats';
import type { RenderJobSpec } from './renderJob';
import { puppetModelVersion } from './modelVersion';
import {
  prepareDiffusionSetup,
  type DiffusionRenderSetup,
} from '#main/scheduler/workers/diffusionSetup';

/**
 * Windows per fusion group of a `fused` diffusion render. A group is denoised in one loop and its
 * frames are held until delivered, so memory grows with the group, not the video: per frame about
 * W·H·3 bytes of decoded RGB waiting in the segment runner plus, while sampling, four float32
 * latent-sized buffers (initial, current, stepped, fusion blend: W·H bytes) — ≈ 1 MB per frame
 * at 512², so 8 windows of T = 24, O = 4 (164 frames) is ≈ 170 MB. With cross-frame attention on,
 * groups are joined, not cut: each group after the first holds the O frames it shares with the
 * previous group to that group's frames (`holdGroupBoundaries`; docs/diffusion.md), so groups
 * render in order and an edit re-renders its group and the groups after it. With it off, frames
 * are independent of each other and groups need no joining. The puppet draws every frame from its own pose,
 * so its fused windows are not coupled (groups of 1, nothing held).
 */
export const FUSION_GROUP_WINDOWS = 8;

/** What a render of a project needs besides ffmpeg and workers. */
export interface ProjectRender {
  loaded: LoadedProject;
  character: CharacterJson;
  /** Absolute paths of the character's files. */
  picturePath: string;
  maskPath?: string;
  /** The user's layer overrides of the character's parts (project file `characters[].layers`). */
  layers?: LayerOverrides;
  track: TrackJson;
  width: number;
  height: number;
  fps: number;
  format: VideoFormat;
  plan: PlanSettings;
  settingsHash: string;
  audioFrom?: string;
  /** The puppet's background setting (`generator.params.background`; 'plate' for diffusion). */
  background: PuppetBackground;
  /**
   * Frames have transparent pixels ('transparent', or 'plate' with a cut-out picture): formats
   * with alpha keep them, the others show the frames composited over the plate.
   */
  transparent: boolean;
  /** Set when the project's generator is `diffusion` (pack checked, strategy usable). */
  diffusion?: DiffusionRenderSetup;
  /** Pose at an output frame, in the character picture's pixels. */
  poseAt(frame: number): Float64Array;
  /** Every person of the track at an output frame, on the output canvas (for pose exports). */
  poseFrameAt(frame: number): PoseFrame;
}

export interface RenderOverrides {
  from?: number;
  to?: number;
  format?: VideoFormat;
}

/** Maps a pose of the track (track canvas pixels) onto the character picture (picture pixels). */
export type PoseMapper = (points: Float64Array) => Float64Array;

/**
 * The default mapping: from the track canvas back onto the picture — the inverse of how the
 * Editor and the output place the picture on the canvas (`placePicture`, aspect kept, centred),
 * so a joint drawn on the character in the Editor moves that part of the picture — then
 * retargeted onto the character's proportions (bone lengths of its reference pose; the lane's
 * first keyframe is the driving reference, so root motion is kept relative to where the
 * character stands).
 */
export function retargetToCharacter(
  track: TrackJson,
  firstKeyframe: Float64Array,
  character: Float64Array,
  picture: { width: number; height: number },
): PoseMapper {
  const placement = placePicture(picture, track);
  const drivingReference = canvasToPicture(firstKeyframe, placement);
  return (points) =>
    retargetPose(canvasToPicture(points, placement), character, { drivingReference });
}

function pick<T extends { id: string }>(list: T[], id: string | undefined, what: string): T {
  const found = id ? list.find((x) => x.id === id) : list[0];
  if (!found)
    throw new ProjectError(
      id ? `render.${what}Id` : `${what}s`,
      id
        ? `names ${what} "${id}", which the project does not have`
        : `the project has no ${what} to render`,
    );
  return found;
}

/** Reads a project folder and works out everything a render of it needs; throws ProjectError on bad input. */
export async function prepareProjectRender(
  projectDir: string,
  overrides: RenderOverrides = {},
  options: {
    pictureSize: (file: string) => Promise<{ width: number; height: number }>;
    mapPose?: PoseMapper;
    engineVersion?: string;
    /** Model pack folders of the settings, searched for a diffusion pack given by name. */
    packFolders?: readonly string[];
    /** The `memoryBudgetGB` setting (default `auto`). */
    memoryBudget?: MemoryBudgetSetting;
  },
): Promise<ProjectRender> {
  const loaded = await loadProject(projectDir);
  const project: Project = loaded.project;
  const character = pick(project.characters, project.render.characterId, 'character');
  const track = pick(project.tracks, project.render.trackId, 'track');
  const lane = track.people.find((p) => p.keyframes.length > 0);
  if (!lane)
    throw new ProjectError(
      `tracks[${project.tracks.indexOf(track)}].people`,
      'has no keyframes to animate',
    );
  // Every file the render reads or writes by a project path stays inside the project: a link to
  // a user's file, a pipe that would block the read, or a `cache`/`renders` folder linked
  // elsewhere is refused here, before a worker starts or a file is written.
  const inside = (path: string, field: string, mustExist: boolean) =>
    resolveInsideProject(loaded.root, path, { field, kind: 'file', mustExist }).catch(
      (e: unknown) => {
        throw e instanceof ProjectError ? e.inFile(loaded.file) : e;
      },
    );
  for (const folder of ['cache', 'cache/segments', 'renders'])
    await projectFolder(loaded.root, folder).catch((e: unknown) => {
      throw e instanceof ProjectError ? e.inFile(loaded.file) : e;
    });
  const picturePath = (await inside(character.picture, 'characters.picture', true)).path;
  const pictureBytes = await readFile(picturePath).catch(() => {
    throw new ProjectError(
      'characters.picture',
      `file ${character.picture} is missing or unreadable`,
      loaded.file,
    );
  });
  const picture = await options.pictureSize(picturePath).catch((e: unknown) => {
    throw new ProjectError(
      'characters.picture',
      `${character.picture} is not a usable picture (${e instanceof Error ? e.message : String(e)})`,
      loaded.file,
    );
  });
  const maskPath = character.mask
    ? (await inside(character.mask, 'characters.mask', false)).path
    : undefined;
  const maskBytes = maskPath ? await readFile(maskPath).catch(() => null) : null;

  const { output } = project;
  const from = overrides.from ?? output.range.from;
  const to = overrides.to ?? output.range.to;
  if (!(to > from))
    throw new ProjectError('output.range', `frames ${from}–${to}: "to" must be after "from"`);
  const format = overrides.format ?? output.format;
  const diffusion = await prepareDiffusionSetup(
    loaded.dir,
    project,
    { from, to },
    options.packFolders,
    options.memoryBudget,
  );

  const evaluator = new PoseTrackEvaluator(toPoseTrack({ ...track, people: [lane] }));
  const frame = evaluator.createFrame();
  const mapPose =
    options.mapPose ??
    retargetToCharacter(
      track,
      Float64Array.from(lane.keyframes[0]!.points),
      Float64Array.from(character.referencePose),
      picture,
    );
  const trackFramesPerOutputFrame = track.fps / output.fps;
  const poseAt = (f: number) => {
    evaluator.evaluateInto(f * trackFramesPerOutputFrame, frame);
    return mapPose(new Float64Array(frame.people[0]!.points));
  };

  // Pose exports: all people of the track, scaled onto the output canvas.
  const everyone = new PoseTrackEvaluator(toPoseTrack(track));
  const outputCanvas = { width: output.width, height: output.height };
  const poseFrameAt = (f: number): PoseFrame => {
    const fr = everyone.evaluate(f * trackFramesPerOutputFrame);
    return {
      width: output.width,
      height: output.height,
      people: fr.people.map((p) => ({
        id: p.id,
        points: fitCanvas(p.points, track, outputCanvas),
      })),
    };
  };

  // A diffusion pack (with its separate ControlNet and UNet folders) counts by its content
  // identity, not by where it is: moving a pack keeps the cache, replacing its weights re-renders.
  const generator =
    project.generator.id === 'diffusion'
      ? {
          ...project.generator,
          params: {
            ...project.generator.params,
            pack: undefined,
            controlNetPath: undefined,
            unetPath: undefined,
          },
        }
      : project.generator;
  const settingsHash = new ContentHasher()
    .json({
      generator,
      seed: project.render.seed,
      width: output.width,
      height: output.height,
      referencePose: Array.from(character.referencePose),
      ...(character.layers ? { layers: character.layers } : {}),
      engine: options.engineVersion ?? (diffusion ? 'diffusion-1' : await puppetModelVersion()),
      ...(diffusion ? { pack: diffusion.packId } : {}),
    })
    .bytes(pictureBytes)
    .bytes(maskBytes ?? new Uint8Array())
    .digest();

  const background =
    project.generator.id === 'puppet' ? project.generator.params.background : 'plate';
  // A cut-out: an alpha channel that is really used (an opaque RGBA picture is not one; the
  // engine's setup tells the two apart the same way).
  const pictureHasAlpha = await sharp(picturePath)
    .stats()
    .then((st) => st.channels.length % 2 === 0 && st.channels[st.channels.length - 1]!.min < 255)
    .catch(() => false);
  const result: ProjectRender = {
    loaded,
    character,
    picturePath,
    background,
    transparent:
      project.generator.id === 'puppet' && backgroundIsTransparent(background, pictureHasAlpha),
    track,
    width: output.width,
    height: output.height,
    fps: output.fps,
    format,
    plan: {
      from,
      to,
      segmentLength: project.render.segmentLength,
      segmentOverlap: project.render.strategy === 'independent' ? 0 : project.render.segmentOverlap,
      strategy: project.render.strategy,
      anchorFrame: -1,
      ...(project.render.strategy === 'fused'
        ? diffusion
          ? {
              fusionGroupWindows: FUSION_GROUP_WINDOWS,
              // Without cross-frame attention frames do not influence each other, so a group
              // boundary is no seam: holding would only serialise groups and lengthen re-renders.
              holdGroupBoundaries: diffusion.params.crossFrame !== 'off',
            }
          : { fusionGroupWindows: 1 }
        : {}),
    },
    settingsHash,
    poseAt,
    poseFrameAt,
  };
  if (maskPath) result.maskPath = maskPath;
  if (character.layers) result.layers = character.layers;
  if (diffusion) result.diffusion = diffusion;
  if (output.audio) result.audioFrom = (await inside(output.audio, 'output.audio', true)).path;
  return result;
}

/**
 * The render-job spec of a prepared project render: what the CLI, the API and the bench hand to
 * `runRenderJob`, mapped in one place so a new input reaches all three.
 */
export function renderJobSpec(
  job: ProjectRender,
  run: {
    output: string;
    ffmpeg: string;
    ffprobe: string;
    resume?: boolean;
    overwrite?: boolean;
    format?: VideoFormat;
  },
): RenderJobSpec {
  return {
    projectDir: job.loaded.dir,
    output: run.output,
    format: run.format ?? job.format,
    width: job.width,
    height: job.height,
    fps: job.fps,
    plan: job.plan,
    settingsHash: job.settingsHash,
    poseAt: (frame) => job.poseAt(frame),
    ffmpeg: run.ffmpeg,
    ffprobe: run.ffprobe,
    ...(run.resume !== undefined ? { resume: run.resume } : {}),
    ...(run.overwrite ? { overwrite: true } : {}),
    ...(job.audioFrom ? { audioFrom: job.audioFrom } : {}),
    ...(job.transparent ? { alpha: true } : {}),
  };
}
