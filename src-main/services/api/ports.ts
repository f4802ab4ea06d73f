import type {
  Character,
  CharacterState,
  EngineInfo,
  ExecutionProviderPreference,
  ProjectSummary,
  RenderJob,
  RenderProgress,
  RenderPlanView,
  RenderSettings,
  TransitionPreview,
} from '#shared/api/index';
import type { TrackJson } from '#shared/project/index';
import type { FarmStatus } from '#shared/render/farmStatus';
import type { StartWorkers } from '#main/scheduler/workers/workers';
import type { CharacterMaskView } from '#shared/api/characterMask';
import type { LayerOverrides } from '#shared/puppet/layerOrder';

/**
 * The services behind the API, as small interfaces. Each is implemented by an adapter over the
 * real module (project store, render jobs, engine client; built in `adapters.ts`); ApiService only
 * sees these, so tests can use real adapters on temp projects.
 */

export interface CreateProjectRequest {
  folder: string;
  name: string;
  size: { width: number; height: number };
  fps: number;
}

/** An open project. */
export interface ProjectSession {
  readonly folder: string;
  summary(): ProjectSummary;
  character(): Promise<Character>;
  importPicture(fileName: string, bytes: Uint8Array): Promise<Character>;
  moveJoint(index: number, x: number, y: number): Promise<Character>;
  /**
   * Real path of the active character's picture (checked to be inside the project), or null
   * when it has none.
   */
  picturePath?(): Promise<string | null>;
  /** Replaces the active character's reference pose (136×3 numbers, picture pixels) and saves. */
  setReferencePose?(points: ArrayLike<number>): Promise<Character>;
  /**
   * Copies a sound file into the project's assets and makes it the render's audio
   * (`output.audio`); returns its project path.
   */
  useAudioFile?(file: string): Promise<string>;
  /**
   * Puts the active character back to an earlier state (undo/redo): picture and mask must be
   * pictures inside the project, the pose is in that picture's pixels. Saves.
   */
  restoreCharacter?(state: CharacterState): Promise<Character>;
  track(): TrackJson | null;
  saveTrack(track: TrackJson): Promise<ProjectSummary>;
  /** Copies a mask PNG into the project and makes it the character's mask. */
  importMask?(fileName: string, bytes: Uint8Array): Promise<Character>;
  /** Forgets the character's mask (the puppet makes one again); the file stays. */
  clearMask?(): Promise<Character>;
  /** Sets the user's layer per part (bone name → layer); `{}` clears them. */
  setLayers?(layers: LayerOverrides): Promise<Character>;
  /** The character's files as the engine sets it up (paths checked inside the project), or null. */
  characterSetup?(): Promise<CharacterFiles | null>;
}

/** A character as the engine's setup takes it. */
export interface CharacterFiles {
  picturePath: string;
  referencePose: Float64Array;
  maskPath?: string;
  layers?: LayerOverrides;
}

export interface ProjectsPort {
  create(req: CreateProjectRequest): Promise<ProjectSession>;
  open(folder: string): Promise<ProjectSession>;
}

export interface RenderListener {
  progress(p: RenderProgress): void;
  job(j: RenderJob): void;
}

export interface RenderPort {
  defaults(project: ProjectSession): RenderSettings;
  list(project: ProjectSession): Promise<RenderJob[]>;
  start(project: ProjectSession, settings: RenderSettings): Promise<RenderJob>;
  cancel(project: ProjectSession, jobId: string): Promise<RenderJob>;
  pause(project: ProjectSession, jobId: string): Promise<RenderJob>;
  resume(project: ProjectSession, jobId: string): Promise<RenderJob>;
  subscribe(listener: RenderListener): () => void;
  /** The job's output on this host (its file, or its PNG folder), or null for no such job. */
  output(project: ProjectSession, jobId: string): Promise<string | null>;
  /** Stops running jobs (the host is shutting down). */
  close(): Promise<void>;
}

/** People found in a picture (points in its own pixels, 136×3 numbers each, best first). */
export interface PicturePoses {
  width: number;
  height: number;
  people: Float64Array[];
  extractor: string;
  ms: number;
}

export interface EnginePort {
  info(preference: ExecutionProviderPreference): Promise<EngineInfo>;
  /** Engine state changes (started, crashed, restarting). */
  subscribe(listener: (info: EngineInfo) => void): () => void;
  /** The people in a picture file, posed by the built-in extractor in the engine process. */
  extractPicturePose?(
    preference: ExecutionProviderPreference,
    picturePath: string,
    options?: { minScore?: number },
  ): Promise<PicturePoses>;
  /** Stops the engine process(es) it started. */
  close(): Promise<void>;
}

export interface TransitionPreviewRequest {
  frame: number;
  before?: number;
  after?: number;
  width?: number;
}

/** The editor's render-plan lane and fast transition previews (one preview engine per host). */
export interface PreviewPort {
  /** The plan for the project's current settings; `jobs` give the active render's state. */
  plan(project: ProjectSession, jobs: RenderJob[]): Promise<RenderPlanView>;
  previewTransition(
    project: ProjectSession,
    req: TransitionPreviewRequest,
  ): Promise<TransitionPreview>;
  /** The mask and layers the puppet makes of the project's character, with its warnings. */
  characterMask?(
    project: ProjectSession,
    options?: { automatic?: boolean },
  ): Promise<CharacterMaskView>;
  /** Stops the preview engine. */
  close(): Promise<void>;
}

/** A connection to the render farm for one render (src-main/farm/farmPort.ts). */
export interface FarmSession {
  /** Segments the render keeps on the farm at once. */
  slots: number;
  startWorkers: StartWorkers;
  status(): Promise<FarmStatus>;
  close(): Promise<void>;
}

/** The render farm, handed to the services by the app and `serve` (services do not import it). */
export interface FarmPort {
  connect(options: {
    redisUrl: string;
    listen?: string;
    advertise?: string;
    onNotice(message: string): void;
  }): Promise<FarmSession>;
}

/** What only the desktop shell can do. */
export interface ShellPort {
  /**
   * Opens a folder in the OS file manager, with `select` (a file in it) selected when given;
   * false when this host cannot (browser mode).
   */
  openFolder(folder: string, select?: string): Promise<boolean>;
}

/** The real adapters that exist in this build (each is optional so the shell runs without it). */
export interface Adapters {
  projects?: ProjectsPort;
  render?: RenderPort;
  engine?: EnginePort;
  preview?: PreviewPort;
}
