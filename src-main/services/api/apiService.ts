import { readCoherenceReport } from '#main/scheduler/job/coherenceFile';
import type { AppMode } from '#shared/api/model';
import {
  ApiError,
  parseEvent,
  parseParams,
  parseResult,
  requireMethod,
  type ApiEventName,
  type ApiEventPayload,
  type ApiMethodName,
  type ApiResult,
  type apiMethods,
} from '#shared/api/index';
import type { z } from 'zod';
import type { SettingsService } from '#main/services/settings/settingsService';
import type { VideoImportTools } from '#main/services/videoImport/videoImportJob';
import { projectCacheUsage } from './cacheHandler';
import { outputLocation } from './outputFolder';
import { PoseDetections } from './detectPose';
import { PictureUploads } from './pictureUploads';
import { openSampleHandlers } from './openSample';
import { motionHandlers } from './motions';
import { checkRenderReady } from './renderReadiness';
import { studioVideoTools, videoImportHandlers } from '#main/services/videoImport/videoHandlers';
import { VideoImports } from '#main/services/videoImport/videoImports';
import type {
  EnginePort,
  PreviewPort,
  ProjectSession,
  ProjectsPort,
  RenderPort,
  ShellPort,
} from './ports';

type Params<M extends ApiMethodName> = z.output<(typeof apiMethods)[M]['params']>;
const unavailable = (what: string) =>
  new ApiError(
    'unavailable',
    `${what}: not available in this build`,
    'Update Pose Studio; this part of the studio has not been wired yet.',
  );

type Handlers = { [M in ApiMethodName]: (p: Params<M>) => Promise<ApiResult<M>> | ApiResult<M> };
export type ApiEventListener = (event: ApiEventName, payload: unknown) => void;

export interface ApiServiceDeps {
  mode: AppMode;
  version: string;
  platform: string;
  settings: SettingsService;
  shell: ShellPort;
  projects?: ProjectsPort;
  render?: RenderPort;
  engine?: EnginePort;
  preview?: PreviewPort;
  /** ffmpeg and the engine video imports use (tests hand in their own). */
  videoTools?: () => VideoImportTools;
}

/**
 * The service implementation behind the contract, shared by the IPC bridge and the WebSocket
 * host. `call` takes untrusted input: it checks the method name and params against the contract
 * before any service runs, and checks the result on the way out.
 */
export class ApiService {
  private project: ProjectSession | null = null;
  private readonly listeners = new Set<ApiEventListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly handlers: Handlers;
  private readonly detections = new PoseDetections();
  private readonly uploads = new PictureUploads();
  private readonly videos: VideoImports;

  constructor(private readonly deps: ApiServiceDeps) {
    this.videos = new VideoImports(deps.videoTools ?? studioVideoTools(deps.settings));
    if (deps.render) {
      this.unsubscribe.push(
        deps.render.subscribe({
          progress: (p) => this.emit('render.progress', p),
          job: (j) => this.emit('render.job', j),
        }),
      );
    }
    if (deps.engine)
      this.unsubscribe.push(deps.engine.subscribe((i) => this.emit('engine.status', i)));
    this.handlers = this.createHandlers();
  }

  async call(method: unknown, params: unknown): Promise<unknown> {
    const name = requireMethod(method);
    const parsed = parseParams(name, params);
    try {
      const result = await (this.handlers[name] as (p: unknown) => unknown)(parsed);
      return parseResult(name, result);
    } catch (e) {
      throw ApiError.from(e);
    }
  }

  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The settings the service uses (the desktop shell also keeps window state there). */
  get settings(): SettingsService {
    return this.deps.settings;
  }

  /** Folder of the open project (media is served only from inside it). */
  projectFolder(): string | null {
    return this.project?.folder ?? null;
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.videos.close();
    await this.deps.render?.close();
    await this.deps.engine?.close();
    await this.deps.preview?.close();
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEventPayload<E>): void {
    const valid = parseEvent(event, payload);
    for (const l of this.listeners) l(event, valid);
  }

  private requireProject(): ProjectSession {
    if (!this.project) {
      throw new ApiError('no-project', 'no project is open', 'Open or create a project first.');
    }
    return this.project;
  }

  private need<K extends 'projects' | 'render' | 'engine' | 'preview'>(
    key: K,
  ): NonNullable<ApiServiceDeps[K]> {
    const port = this.deps[key];
    if (!port) {
      throw new ApiError(
        'unavailable',
        `the ${key} service is not available in this build`,
        'Update Pose Studio; this part of the studio has not been wired yet.',
      );
    }
    return port as NonNullable<ApiServiceDeps[K]>;
  }

  private opened(session: ProjectSession) {
    this.project = session;
    const summary = session.summary();
    this.deps.settings.rememberProject({ path: summary.path, name: summary.name });
    return summary;
  }

  private createHandlers(): Handlers {
    const { deps } = this;
    return {
      'app.info': () => ({
        version: deps.version,
        mode: deps.mode,
        platform: deps.platform,
        services: {
          projects: Boolean(deps.projects),
          render: Boolean(deps.render),
          engine: Boolean(deps.engine),
        },
      }),
      'settings.get': () => deps.settings.get(),
      'settings.update': (p) => deps.settings.update(p),
      'engine.info': () => this.need('engine').info(deps.settings.get().executionProvider),
      'cache.usage': () => projectCacheUsage(this.requireProject().folder, deps.settings.get()),
      'projects.recent': () => deps.settings.get().recentProjects,
      'projects.create': async (p) => this.opened(await this.need('projects').create(p)),
      'projects.open': async (p) => this.opened(await this.need('projects').open(p.folder)),
      'projects.current': () => this.project?.summary() ?? null,
      ...openSampleHandlers({
        projects: () => this.need('projects'),
        opened: (s) => this.opened(s),
      }),
      'character.get': () => this.requireProject().character(),
      'character.uploadPicturePart': (p) => {
        this.requireProject();
        return {
          received: this.uploads.addPart(
            p.uploadId,
            p.offset,
            p.total,
            Buffer.from(p.dataBase64, 'base64'),
          ),
        };
      },
      'character.importPicture': (p) => {
        const bytes =
          p.uploadId !== undefined
            ? this.uploads.take(p.uploadId)
            : Buffer.from(p.dataBase64 ?? '', 'base64');
        if (bytes.length === 0)
          throw new ApiError('bad-request', 'character.importPicture: the picture is empty');
        return this.requireProject().importPicture(p.fileName, bytes);
      },
      'character.moveJoint': (p) => this.requireProject().moveJoint(p.index, p.x, p.y),
      'character.detectPose': (p) =>
        this.detections.detect(this.requireProject(), this.need('engine'), {
          preference: deps.settings.get().executionProvider,
          ...(p.minScore !== undefined ? { minScore: p.minScore } : {}),
        }),
      'character.undoDetectPose': () => this.detections.undo(this.requireProject()),
      'character.mask': (p) => {
        const preview = this.need('preview');
        if (!preview.characterMask) throw unavailable('character masks');
        return preview.characterMask(this.requireProject(), { automatic: p.automatic === true });
      },
      'character.importMask': (p) => {
        const project = this.requireProject();
        if (!project.importMask) throw unavailable('mask import');
        return project.importMask(p.fileName, Buffer.from(p.dataBase64, 'base64'));
      },
      'character.clearMask': () => {
        const project = this.requireProject();
        if (!project.clearMask) throw unavailable('masks');
        return project.clearMask();
      },
      'character.setLayers': (p) => {
        const project = this.requireProject();
        if (!project.setLayers) throw unavailable('layer overrides');
        return project.setLayers(p.layers);
      },
      ...motionHandlers({ project: () => this.project }),
      'character.restore': (p) => {
        const project = this.requireProject();
        if (!project.restoreCharacter)
          throw new ApiError('unavailable', 'character undo is not available in this build');
        return project.restoreCharacter(p);
      },
      'track.get': () => this.requireProject().track(),
      'track.save': (p) => this.requireProject().saveTrack(p.track),
      'render.defaults': () => this.need('render').defaults(this.requireProject()),
      'render.list': () => this.need('render').list(this.requireProject()),
      'render.start': async (p) => {
        await checkRenderReady(this.requireProject());
        return this.need('render').start(this.requireProject(), p.settings);
      },
      'render.cancel': (p) => this.need('render').cancel(this.requireProject(), p.jobId),
      'render.pause': (p) => this.need('render').pause(this.requireProject(), p.jobId),
      'render.resume': (p) => this.need('render').resume(this.requireProject(), p.jobId),
      'render.plan': async () => {
        const project = this.requireProject();
        const jobs = deps.render ? await deps.render.list(project) : [];
        return this.need('preview').plan(project, jobs);
      },
      'render.previewTransition': (p) =>
        this.need('preview').previewTransition(this.requireProject(), p),
      'render.coherence': async (p) => {
        const project = this.requireProject();
        const jobs = await this.need('render').list(project);
        if (!jobs.some((j) => j.id === p.jobId))
          throw new ApiError('not-found', `no render job "${p.jobId}" in this project`);
        try {
          return await readCoherenceReport(project.folder, p.jobId);
        } catch (e) {
          throw new ApiError('invalid-project', (e as Error).message);
        }
      },
      'render.openFolder': async (p) => {
        const project = this.requireProject();
        const render = this.need('render');
        const job = (await render.list(project)).find((j) => j.id === p.jobId);
        const output = job ? await render.output(project, job.id) : null;
        if (!job || !output)
          throw new ApiError('not-found', `no render job "${p.jobId}" in this project`);
        // The output's folder, with the video selected once it exists (not renders/<job>).
        const at = await outputLocation(output, job.settings.format);
        const opened = await deps.shell.openFolder(at.folder, ...(at.select ? [at.select] : []));
        return { folder: at.folder, output, opened };
      },
      ...videoImportHandlers(this.videos, () => this.requireProject()),
    };
  }
}
