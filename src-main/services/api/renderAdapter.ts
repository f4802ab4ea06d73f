import { describeMemory } from '#shared/diffusion/memory/memoryReport';
import { relative } from 'node:path';
import { warningLine } from '#shared/puppet/characterWarnings';
import {
  ApiError,
  cacheLimitBytes,
  type RenderJob,
  type RenderProgress,
  type RenderSettings,
  renderEnded,
} from '#shared/api/index';
import type { RenderEvent } from '#shared/render/progress';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { FfmpegNotFoundError, resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { OutputPathError } from '#main/media/outputTarget';
import { JobLockedError } from '#main/scheduler/job/jobLock';
import {
  jobFolder,
  jobIdFor,
  listManifests,
  type JobManifest,
} from '#main/scheduler/job/jobManifest';
import { prepareDiffusionSetup } from '#main/scheduler/workers/diffusionSetup';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender, renderJobSpec } from '#main/scheduler/job/projectRender';
import { runRenderJob } from '#main/scheduler/job/renderJob';
import { defaultWorkerCount, type StartWorkers } from '#main/scheduler/workers/workers';
import { startRenderWorkers } from '#main/scheduler/workers/startRenderWorkers';
import { loadProject } from '#main/project/projectStore';
import { resolveInsideProject } from '#main/project/projectPaths';
import type { SettingsService } from '#main/services/settings/settingsService';
import type { FarmPort, FarmSession, ProjectSession, RenderListener, RenderPort } from './ports';
import { StoredProject, projectApiError } from './projectAdapter';
import { studioOutputPath } from './outputFolder';

interface Running {
  abort: AbortController;
  dispatcher: Dispatcher | null;
  paused: boolean;
  job: RenderJob;
  done: Promise<void>;
  /** When the render was asked for (Date.now()): start-up counts say how long it has waited. */
  startedAt: number;
  /** The file (or PNG folder) the job writes. */
  output: string;
}

export interface RenderAdapterDeps {
  settings: SettingsService;
  startWorkers: StartWorkers;
  env?: NodeJS.ProcessEnv;
  /** Workers per render (default: `defaultWorkerCount`). */
  workers?: number;
  /** The render farm; used for puppet renders when the farm's Redis is set in Settings. */
  farm?: FarmPort;
}

/** How often the job's farm status (workers, lanes) is refreshed while it renders. */
const FARM_STATUS_MS = 1000;

function idle(
  jobId: string,
  stage: RenderProgress['stage'],
  total: number,
  done: number,
): RenderProgress {
  return {
    jobId,
    stage,
    framesDone: done,
    framesTotal: total,
    framesPerSecond: 0,
    etaSeconds: null,
    segmentIndex: null,
    segmentCount: 0,
    thumbnail: null,
  };
}

/**
 * Render jobs for the UI over the real scheduler: the same pieces the `render` CLI composes
 * (project → plan → dispatcher + puppet engine workers → ordering barrier → ffmpeg), run in the
 * background, with progress forwarded as API events. One output per (range, format), so
 * rendering the same range again continues the same job and reuses its cached segments.
 */
export class RenderJobsAdapter implements RenderPort {
  private readonly running = new Map<string, Running>();
  /** Jobs that ended in this session, with their last thumbnail and numbers (the manifest has neither). */
  private readonly ended = new Map<string, RenderJob>();
  private readonly listeners = new Set<RenderListener>();
  /** Outputs of jobs that ended in this session (a job refused before its manifest has none). */
  private readonly endedOutputs = new Map<string, string>();

  constructor(private readonly deps: RenderAdapterDeps) {}

  subscribe(listener: RenderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  defaults(project: ProjectSession): RenderSettings {
    return stored(project).renderSettings();
  }

  async list(project: ProjectSession): Promise<RenderJob[]> {
    const manifests = await listManifests(project.folder);
    const jobs = manifests.map((m) => {
      const live = this.running.get(m.jobId)?.job ?? this.ended.get(m.jobId);
      return live ?? this.fromManifest(project, m);
    });
    for (const r of this.running.values())
      if (!jobs.some((j) => j.id === r.job.id)) jobs.unshift(r.job);
    return jobs;
  }

  async start(project: ProjectSession, settings: RenderSettings): Promise<RenderJob> {
    await stored(project).applyRenderSettings(settings);
    await this.checkGenerator(project, settings);
    await this.settled(project, settings);
    return this.launch(project, settings, false);
  }

  /**
   * A job that already said it is done (or failed) may still be closing its engines and
   * releasing its lock; "Render again" right then waits for that instead of answering "already
   * running" to a job the user sees as finished.
   */
  private async settled(project: ProjectSession, settings: RenderSettings): Promise<void> {
    const output = this.outputPath(project, settings);
    const r = this.running.get(jobIdFor(output, settings.format, settings.from, settings.to));
    if (r && renderEnded(r.job.progress.stage)) await r.done;
  }

  /** A diffusion project's pack and strategy are checked before a job exists (bad → rejected). */
  private async checkGenerator(project: ProjectSession, s: RenderSettings): Promise<void> {
    if (s.generator !== 'diffusion') return;
    try {
      const { project: doc } = await loadProject(project.folder);
      const settings = this.deps.settings.get();
      await prepareDiffusionSetup(
        project.folder,
        doc,
        s,
        settings.modelPackFolders,
        settings.memoryBudgetGB,
      );
    } catch (e) {
      const err = projectApiError(e);
      throw new ApiError(
        'bad-request',
        err.message,
        /generator\.params\.pack/.test(err.message)
          ? 'Choose a pack folder: absolute, relative to the project, or a folder name under the model pack folders in Settings.'
          : err.hint,
      );
    }
  }

  async cancel(project: ProjectSession, jobId: string): Promise<RenderJob> {
    const r = this.running.get(jobId);
    if (!r)
      throw new ApiError(
        'conflict',
        'this render is not running',
        'Only a running or paused render can be cancelled.',
      );
    r.abort.abort();
    r.dispatcher?.resume(); // a paused dispatcher must run to see the abort
    await r.done;
    return (await this.list(project)).find((j) => j.id === jobId) ?? r.job;
  }

  async pause(_project: ProjectSession, jobId: string): Promise<RenderJob> {
    const r = this.running.get(jobId);
    if (!r)
      throw new ApiError('conflict', 'this render is not running', 'Start or resume it first.');
    r.paused = true;
    r.dispatcher?.pause();
    this.update(r, { ...r.job.progress, stage: 'paused', framesPerSecond: 0, etaSeconds: null });
    return r.job;
  }

  async resume(project: ProjectSession, jobId: string): Promise<RenderJob> {
    const r = this.running.get(jobId);
    if (r && !r.abort.signal.aborted && !renderEnded(r.job.progress.stage)) {
      r.paused = false;
      r.dispatcher?.resume();
      this.update(r, { ...r.job.progress, stage: 'rendering' });
      return r.job;
    }
    // A job that says it is cancelled or failed may still be closing its engines: Resume right
    // then waits for it to end and starts again. (It used to mark the ending job "rendering",
    // which then ended without rendering anything and stayed "rendering" for ever.)
    if (r) await r.done;
    const job = (await this.list(project)).find((j) => j.id === jobId);
    if (!job) throw new ApiError('not-found', `no render job "${jobId}" in this project`);
    if (job.progress.stage === 'done')
      throw new ApiError(
        'conflict',
        'this render is already finished',
        'Play it, or change settings and render again.',
      );
    return this.launch(project, job.settings, true);
  }

  async close(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) {
      r.abort.abort();
      r.dispatcher?.resume();
    }
    await Promise.all(all.map((r) => r.done));
  }

  private outputPath(project: ProjectSession, s: RenderSettings): string {
    return studioOutputPath(project.folder, s);
  }

  /** The job's output on this host (the file or PNG folder it writes), or null for no such job. */
  async output(project: ProjectSession, jobId: string): Promise<string | null> {
    const r = this.running.get(jobId);
    if (r) return r.output;
    const m = (await listManifests(project.folder)).find((x) => x.jobId === jobId);
    return m?.output ?? this.endedOutputs.get(jobId) ?? null;
  }

  private fromManifest(project: ProjectSession, m: JobManifest): RenderJob {
    const base = stored(project).renderSettings();
    const settings: RenderSettings = {
      ...base,
      width: m.width,
      height: m.height,
      fps: m.fps,
      from: m.from,
      to: m.to,
      format: m.format,
    };
    const done = m.segments.filter((s) => s.done).reduce((n, s) => n + (s.end - s.start), 0);
    const stage = m.state === 'running' ? 'failed' : m.state; // running on disk but not here = interrupted
    const total = m.to - m.from;
    return {
      id: m.jobId,
      createdAt: m.createdAt,
      settings,
      progress: {
        ...idle(m.jobId, stage, total, m.state === 'done' ? total : Math.min(done, total)),
        segmentCount: m.segments.length,
      },
      output: m.state === 'done' ? relative(project.folder, m.output).split('\\').join('/') : null,
      folder: jobFolder(project.folder, m.jobId),
      error:
        m.state === 'running'
          ? {
              message: 'the render was interrupted',
              hint: 'Resume it: finished segments are kept.',
            }
          : m.error
            ? {
                message: m.error,
                hint:
                  m.state === 'cancelled'
                    ? 'Resume to continue where it stopped.'
                    : 'Fix the cause, then resume.',
              }
            : null,
    };
  }

  private update(r: Running, progress: RenderProgress, patch: Partial<RenderJob> = {}): void {
    const stage = r.paused && !renderEnded(progress.stage) ? 'paused' : progress.stage;
    const p = { ...progress, stage };
    const changed = r.job.progress.stage !== p.stage || Object.keys(patch).length > 0;
    r.job = { ...r.job, ...patch, progress: p };
    for (const l of this.listeners) {
      l.progress(p);
      if (changed) l.job(r.job);
    }
  }

  private launch(project: ProjectSession, settings: RenderSettings, resume: boolean): RenderJob {
    const output = this.outputPath(project, settings);
    const jobId = jobIdFor(output, settings.format, settings.from, settings.to);
    if (this.running.has(jobId))
      throw new ApiError('conflict', 'this render is already running', 'Pause or cancel it first.');
    const total = settings.to - settings.from;
    const r: Running = {
      abort: new AbortController(),
      dispatcher: null,
      paused: false,
      startedAt: Date.now(),
      output,
      job: {
        id: jobId,
        createdAt: new Date().toISOString(),
        settings,
        progress: {
          ...idle(jobId, 'queued', total, 0),
          startup: { step: 'preparing', ready: 0, total: 1, elapsedMs: 0 },
        },
        output: null,
        folder: jobFolder(project.folder, jobId),
        error: null,
      },
      done: Promise.resolve(),
    };
    this.running.set(jobId, r);
    this.ended.delete(jobId);
    r.done = this.run(project, r, output, resume).finally(() => {
      this.running.delete(jobId);
      this.ended.set(jobId, r.job);
      this.endedOutputs.set(jobId, output);
    });
    for (const l of this.listeners) l.job(r.job);
    return r.job;
  }

  private async run(
    project: ProjectSession,
    r: Running,
    output: string,
    resume: boolean,
  ): Promise<void> {
    const s = r.job.settings;
    let farm: FarmSession | undefined;
    let stopFarmStatus: (() => Promise<void>) | undefined;
    try {
      const ffmpeg = resolveFfmpeg({
        settingsPath: this.deps.settings.get().ffmpegPath,
        env: this.deps.env ?? process.env,
      });
      const ffprobe = resolveFfprobe(ffmpeg, this.deps.env ?? process.env);
      const settings = this.deps.settings.get();
      const job = await prepareProjectRender(
        project.folder,
        { from: s.from, to: s.to, format: s.format },
        {
          pictureSize,
          packFolders: settings.modelPackFolders,
          memoryBudget: settings.memoryBudgetGB,
        },
      );
      // Shown in the render queue before the first segment: what the render will need.
      if (job.diffusion)
        this.update(r, r.job.progress, { memory: describeMemory(job.diffusion.memory) });
      // The default output is in the project's renders/: a link there (a PNG folder linked to a
      // user's folder) must not make the render write outside the project.
      await resolveInsideProject(
        project.folder,
        relative(project.folder, output).split('\\').join('/'),
        { field: 'output', kind: s.format === 'png' ? 'folder' : 'file' },
      );
      const pref = settings.executionProvider;
      farm = await this.connectFarm(r, job.diffusion !== undefined && job.diffusion !== null);
      r.dispatcher = new Dispatcher(
        await startRenderWorkers(
          job,
          farm?.slots ?? this.deps.workers ?? defaultWorkerCount(job),
          farm?.startWorkers ?? this.deps.startWorkers,
          {
            jobId: r.job.id,
            executionProviders: pref === 'auto' || pref === 'cpu' ? [] : [pref],
            signal: r.abort.signal,
            startedAt: r.startedAt,
            // "Starting engines (1/2)…" in the queue while the engines come up.
            onEvent: ({ type: _t, jobId: _j, ...startup }) =>
              this.update(r, { ...r.job.progress, startup }),
          },
        ),
      );
      if (farm) stopFarmStatus = this.watchFarm(r, farm);
      if (r.paused) r.dispatcher.pause();
      r.abort.signal.throwIfAborted();
      const spec = {
        ...renderJobSpec(job, { output, ffmpeg: ffmpeg.path, ffprobe, resume }),
        cacheLimitBytes: cacheLimitBytes(settings), // pruned to after the render finishes
      };
      await runRenderJob(spec, {
        dispatcher: r.dispatcher,
        signal: r.abort.signal,
        onEvent: (e: RenderEvent) => {
          if (e.type === 'progress') {
            const { type: _t, segmentSource: _s, ...p } = e;
            this.update(r, { ...p, startup: null }); // the scheduler has the workers: started
          } else if (e.type === 'segment-retry') {
            // Engine restarts go to the job's log, so the studio shows why a segment took longer.
            this.log(r, e.message);
          } else if (e.type === 'warning') {
            // The character's warnings (rough mask, joints outside it) with their fix.
            this.log(r, `warning: ${warningLine(e.warning)}`);
          } else if (e.type === 'finished') {
            this.update(
              r,
              { ...r.job.progress, stage: 'done', framesDone: e.frames },
              {
                output: relative(project.folder, e.output).split('\\').join('/'),
              },
            );
          }
        },
      });
    } catch (e) {
      const cancelled = e instanceof CancelledError || r.abort.signal.aborted;
      const err =
        e instanceof FfmpegNotFoundError
          ? { message: e.message, hint: 'Set the ffmpeg path in Settings, or install ffmpeg.' }
          : e instanceof OutputPathError
            ? {
                message: e.message.split(';')[0]!, // the CLI's "add --overwrite" is not a studio action
                hint: 'Pose Studio does not replace a file it did not make: move or rename it, then render again.',
              }
            : e instanceof JobLockedError
              ? { message: e.message, hint: 'Wait for that render to finish, or cancel it.' }
              : cancelled
                ? { message: 'render cancelled', hint: 'Resume to continue where it stopped.' }
                : {
                    message: projectApiError(e).message,
                    hint: projectApiError(e).hint ?? 'Fix the cause, then resume.',
                  };
      this.update(
        r,
        {
          ...r.job.progress,
          stage: cancelled ? 'cancelled' : 'failed',
          framesPerSecond: 0,
          etaSeconds: null,
          startup: null,
        },
        { error: err },
      );
    } finally {
      await stopFarmStatus?.();
      await r.dispatcher?.close().catch(() => undefined);
      // Closed by its workers through the dispatcher; this covers a render that failed earlier.
      await farm?.close().catch(() => undefined);
    }
  }

  /** The farm for this render, when Settings name one and the generator can run there. */
  private async connectFarm(r: Running, diffusion: boolean): Promise<FarmSession | undefined> {
    const settings = this.deps.settings.get();
    if (!settings.farmRedisUrl || !this.deps.farm) return undefined;
    if (diffusion) {
      this.log(r, 'The render farm renders puppet projects: this diffusion render runs here.');
      return undefined;
    }
    try {
      return await this.deps.farm.connect({
        redisUrl: settings.farmRedisUrl,
        ...(settings.farmListen ? { listen: settings.farmListen } : {}),
        ...(settings.farmAdvertise ? { advertise: settings.farmAdvertise } : {}),
        onNotice: (m) => this.log(r, `Render farm: ${m}`),
      });
    } catch (e) {
      throw new ApiError(
        'unavailable',
        `cannot use the render farm: ${e instanceof Error ? e.message : String(e)}`,
        'Check the farm settings (Settings → Render farm), or clear the Redis URL to render on this machine.',
      );
    }
  }

  /** Puts the farm's workers and lanes on the job every second, and once more at the end. */
  private watchFarm(r: Running, farm: FarmSession): () => Promise<void> {
    const refresh = async () => {
      const status = await farm.status().catch(() => null);
      if (status) this.update(r, r.job.progress, { farm: status });
    };
    const timer = setInterval(() => void refresh(), FARM_STATUS_MS);
    return async () => {
      clearInterval(timer);
      await refresh();
    };
  }

  private log(r: Running, line: string): void {
    this.update(r, r.job.progress, { log: [...(r.job.log ?? []), line].slice(-50) });
  }
}

function stored(project: ProjectSession): StoredProject {
  if (!(project instanceof StoredProject))
    throw new ApiError('internal', 'render jobs need a project from the project store');
  return project;
}
