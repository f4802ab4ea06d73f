import type { MemoryBudgetSetting } from '#shared/diffusion/memory/memoryBudget';
import { describeMemory } from '#shared/diffusion/memory/memoryReport';
import { coherenceLine } from '#shared/render/coherence/summary';
import { warningLine } from '#shared/puppet/characterWarnings';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ProjectError } from '#shared/project/index';
import { formatProgressLine, startupText, type RenderEvent } from '#shared/render/progress';
import { CancelledError } from '#shared/render/cancelled';
import { Dispatcher } from '#main/scheduler/workers/dispatcher';
import { FfmpegNotFoundError, resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { formatFromPath, VIDEO_FORMATS, type VideoFormat } from '#main/media/formats';
import { OutputPathError } from '#main/media/videoEncoder';
import { resolveInsideProject } from '#main/project/projectPaths';
import { JobLockedError } from '#main/scheduler/job/jobLock';
import { jobIdFor, listManifests } from '#main/scheduler/job/jobManifest';
import { exportPoses, POSE_EXPORT_FORMATS } from '#main/services/poseFiles/poseExport';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender, renderJobSpec } from '#main/scheduler/job/projectRender';
import { ResumeError, runRenderJob } from '#main/scheduler/job/renderJob';
import {
  defaultWorkerCount,
  startPuppetWorkers,
  type StartWorkers,
} from '#main/scheduler/workers/workers';
import { startRenderWorkers } from '#main/scheduler/workers/startRenderWorkers';
import { FARM_DEFAULT_SLOTS, FarmManager } from '#main/farm/farmManager';
import { parseListenAddress } from '#main/farm/farmPort';
import { summariseFarm } from '#shared/render/farmStatus';
import { flagFrame, flagInt, flagString, parseArgs } from '#main/cli/args';
import {
  cacheLimitSetting,
  memoryBudgetSetting,
  ffmpegPathSetting,
  modelPackFoldersSetting,
} from '#main/cli/cliSettings';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio render <project> -o <out> [--from N] [--to N] [--format F]
                           [--resume] [--overwrite] [--json] [--workers N]
                           [--farm redis://:password@host:port [--farm-listen host[:port]]
                            [--farm-advertise host]]

  Renders the project's character performing its pose track to a video.
  -o, --output   mp4, webm, mov (ProRes 422), gif, or a folder (PNG sequence)
  --from, --to   frame range [from, to) at the output fps (default: the project's output range)
  --format       ${VIDEO_FORMATS.join(', ')} (default: from the output name, else the project's);
                 or a pose export to a folder: controlnet (ControlNet/OpenPose JSON per frame),
                 conditioning (OpenPose conditioning PNG per frame) — no engine needed
  --resume       continue the render job for this output after a crash or kill; without -o,
                 the most recent unfinished job of the project
  --overwrite    write even if the output exists and was not made by this render: a file is
                 replaced; a folder is kept and the frames go beside its files (same names
                 replaced). Without it such an output is refused; this render's own previous
                 output is always replaced, and nothing else is ever removed.
  --json         one JSON event per line (progress, segment, finished, failed) instead of a bar
  --workers      engine processes (default: one per core, up to 4, for the puppet; 1 for
                 diffusion). A crash loses at most one segment per worker. With --farm:
                 segments on the farm at once (default ${FARM_DEFAULT_SLOTS}).
  --farm         render the segments on the farm's workers ("pose-studio farm worker") through
                 this Redis instead of local engines (puppet projects); see docs/farm.md
  --farm-listen  where this machine serves inputs to the workers and receives their segments
                 (default 127.0.0.1:<free port>; 0.0.0.0 for workers on other machines)
  --farm-advertise  the name or address workers reach this machine by (default: the listen host)

  A diffusion project's model pack given by name (generator.params.pack) is looked for in the
  project folder, then in the settings' model pack folders (as in the app).
  Finished segments are kept in <project>/cache, so rendering again after an edit only renders
  the segments whose poses or settings changed. Exit codes: 0 ok, 1 render failed, 2 bad input,
  130 cancelled (Ctrl-C).`;

export interface RenderDeps {
  startWorkers: StartWorkers;
  /** Resolves ffmpeg (tests point it at a missing binary). */
  env: NodeJS.ProcessEnv;
  /** The user's `ffmpegPath` setting (first in the lookup order), if any. */
  ffmpegSetting?: () => Promise<string | undefined>;
  /**
   * The user's `modelPackFolders` setting: where a diffusion project's `generator.params.pack`
   * given by name is looked for (after the project folder), as the API's renders do.
   */
  packFolders?: () => Promise<readonly string[]>;
  /** The user's cache limit in bytes (default: the render job's default, 20 GiB). */
  cacheLimit?: () => Promise<number>;
  /** The user's `memoryBudgetGB` setting (default `auto`). */
  memoryBudget?: () => Promise<MemoryBudgetSetting>;
}

function cliProjectError(e: unknown): never {
  if (e instanceof ProjectError) throw new CliError(e.message);
  throw e;
}

/**
 * An output taken from a job manifest (not typed by the user) is written only inside the
 * project: a project from elsewhere may carry a manifest naming any file on this machine. An
 * output outside is still the user's to choose, by giving it with -o.
 */
async function checkRecordedOutput(projectDir: string, output: string): Promise<void> {
  const rel = relative(projectDir, output);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (!inside)
    throw new CliError(
      `the unfinished render of this project writes to ${output}, outside the project folder; ` +
        `to continue it there, run again with -o ${JSON.stringify(output)}`,
    );
  await resolveInsideProject(projectDir, rel.split(sep).join('/'), { field: 'output' }).catch(
    cliProjectError,
  );
}

export async function runRender(argv: string[], io: CliIO, deps: RenderDeps): Promise<number> {
  const args = parseArgs(argv, {
    values: ['output', 'from', 'to', 'format', 'workers', 'farm', 'farm-listen', 'farm-advertise'],
    booleans: ['resume', 'json', 'overwrite'],
    aliases: { o: 'output' },
  });
  const [projectArg, extra] = args.positional;
  if (!projectArg)
    throw new CliError('render needs a project folder (see pose-studio render --help)');
  if (extra) throw new CliError(`unexpected argument "${extra}"`);
  const projectDir = resolve(io.cwd, projectArg);
  const resume = args.flags.has('resume');
  const json = args.flags.has('json');
  const overwrite = args.flags.has('overwrite');
  let from = flagFrame(args, 'from');
  let to = flagFrame(args, 'to');
  const workersFlag = flagInt(args, 'workers');
  if (workersFlag !== undefined && (workersFlag < 1 || workersFlag > 16))
    throw new CliError(`--workers must be 1–16, got ${workersFlag}`);

  const farmUrl = flagString(args, 'farm');
  const farmListen = parseListen(flagString(args, 'farm-listen'));
  const farmAdvertise = flagString(args, 'farm-advertise');
  if (!farmUrl && (farmListen || farmAdvertise))
    throw new CliError('--farm-listen and --farm-advertise go with --farm <redis url>');

  let outputArg = flagString(args, 'output');
  const formatArg = flagString(args, 'format');
  const poseFormat = POSE_EXPORT_FORMATS.find((f) => f === formatArg);
  let format = poseFormat ? undefined : (formatArg as VideoFormat | undefined);
  if (format !== undefined && !VIDEO_FORMATS.includes(format))
    throw new CliError(
      `--format must be one of ${[...VIDEO_FORMATS, ...POSE_EXPORT_FORMATS].join(', ')}, got "${format}"`,
    );
  if (!outputArg) {
    if (!resume)
      throw new CliError('render needs -o <output> (a video file or a folder for PNG frames)');
    const job = (await listManifests(projectDir).catch(cliProjectError)).find(
      (m) => m.state !== 'done',
    );
    if (!job) throw new CliError(`nothing to resume in ${projectDir}`);
    await checkRecordedOutput(projectDir, job.output);
    outputArg = job.output;
    format ??= job.format;
    from ??= job.from;
    to ??= job.to;
  }
  const output = isAbsolute(outputArg) ? outputArg : resolve(io.cwd, outputArg);
  const fromName = poseFormat ? 'png' : formatFromPath(output);
  if (format === undefined && fromName === null)
    throw new CliError(
      `cannot tell the format of "${outputArg}": use .mp4 .webm .mov .gif, a folder, or --format`,
    );

  let ffmpeg;
  let ffprobe: string;
  try {
    ffmpeg = resolveFfmpeg({ env: deps.env, settingsPath: await deps.ffmpegSetting?.() });
    ffprobe = resolveFfprobe(ffmpeg, deps.env);
  } catch (e) {
    if (e instanceof FfmpegNotFoundError) throw new CliError(e.message);
    throw e;
  }

  let job;
  try {
    job = await prepareProjectRender(
      projectDir,
      {
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        format: format ?? fromName!,
      },
      {
        pictureSize,
        packFolders: (await deps.packFolders?.()) ?? [],
        memoryBudget: (await deps.memoryBudget?.()) ?? 'auto',
      },
    );
  } catch (e) {
    if (e instanceof ProjectError) throw new CliError(e.message);
    throw e;
  }

  if (poseFormat) {
    const result = await exportPoses({
      output,
      format: poseFormat,
      from: job.plan.from,
      to: job.plan.to,
      fps: job.fps,
      width: job.width,
      height: job.height,
      poseFrameAt: job.poseFrameAt,
      ffmpeg: ffmpeg.path,
      ffprobe,
      overwrite,
    }).catch((e: unknown) => {
      if (e instanceof OutputPathError) throw new CliError(e.message);
      throw new CliError(`pose export failed: ${e instanceof Error ? e.message : String(e)}`, 1);
    });
    if (json)
      io.out(
        JSON.stringify({ type: 'finished', output, frames: result.frames, format: poseFormat }),
      );
    else io.out(`${output}: ${result.frames} ${poseFormat} pose frames`);
    return 0;
  }

  const print = (e: RenderEvent) => {
    // Start-up counts are for a person watching; `--json` keeps its lines (progress, segment,
    // finished, failed) so scripts that act on the first line still see the job's manifest.
    if (e.type === 'starting') {
      if (!json && io.isTTY) process.stderr.write(`\r${startupText(e)}\x1b[K`);
    } else if (json) io.out(JSON.stringify(e));
    else if (e.type === 'progress' && io.isTTY)
      process.stderr.write(`\r${formatProgressLine(e)}\x1b[K`);
    else if (e.type === 'segment-retry') {
      if (io.isTTY) process.stderr.write('\n');
      io.err(`pose-studio: ${e.message}`);
    } else if (e.type === 'warning') {
      if (io.isTTY) process.stderr.write('\n');
      io.err(`pose-studio: warning: ${warningLine(e.warning)}`);
    } else if (e.type === 'finished') {
      if (io.isTTY) process.stderr.write('\n');
      io.out(
        `${e.output}: ${e.frames} frames ${e.width}×${e.height} at ${e.fps} fps in ${e.seconds.toFixed(1)} s ` +
          `(${e.segmentsRendered} segments rendered, ${e.segmentsCached} from cache)`,
      );
      if (e.coherence) io.out(coherenceLine(e.coherence, job.plan.from));
    }
  };

  // What the render will need, before any engine starts (the refusal, when it cannot fit, was
  // already reported by prepareProjectRender with the fix).
  if (job.diffusion && !json) io.out(describeMemory(job.diffusion.memory));

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let dispatcher: Dispatcher | undefined;
  let farm: FarmManager | undefined;
  let stopFarmReport: (() => Promise<void>) | undefined;
  try {
    let startWorkers = deps.startWorkers;
    if (farmUrl) {
      if (job.diffusion)
        throw new CliError('--farm renders puppet projects; render diffusion projects locally');
      farm = await FarmManager.connect({
        redisUrl: farmUrl,
        onNotice: (m) => io.err(`pose-studio: ${m}`),
        transfer: {
          ...farmListen,
          ...(farmAdvertise ? { advertise: farmAdvertise } : {}),
        },
      }).catch((e: unknown) => {
        throw new CliError(e instanceof Error ? e.message : String(e));
      });
      startWorkers = farm.startWorkers;
    }
    const workers = workersFlag ?? (farm ? FARM_DEFAULT_SLOTS : defaultWorkerCount(job));
    dispatcher = new Dispatcher(
      await startRenderWorkers(job, workers, startWorkers, {
        jobId: jobIdFor(output, job.format, job.plan.from, job.plan.to),
        signal: abort.signal,
        onEvent: print,
      }),
    );
    if (farm) stopFarmReport = reportFarm(farm, io, json);
    const cacheLimitBytes = await deps.cacheLimit?.();
    const spec = renderJobSpec(job, { output, ffmpeg: ffmpeg.path, ffprobe, resume, overwrite });
    await runRenderJob(
      { ...spec, ...(cacheLimitBytes !== undefined ? { cacheLimitBytes } : {}) },
      {
        dispatcher,
        signal: abort.signal,
        onEvent: print,
      },
    );
    return 0;
  } catch (e) {
    if (io.isTTY && !json) process.stderr.write('\n');
    if (e instanceof CancelledError) {
      io.err('pose-studio: render cancelled (run again with --resume to continue)');
      return 130;
    }
    if (e instanceof CliError) throw e;
    if (e instanceof OutputPathError || e instanceof ResumeError || e instanceof JobLockedError)
      throw new CliError(e.message);
    if (e instanceof Error && !(e instanceof TypeError) && !(e instanceof ReferenceError))
      throw new CliError(`render failed: ${e.message}`, 1);
    throw e;
  } finally {
    await stopFarmReport?.();
    process.off('SIGINT', onSigint);
    // The dispatcher closes the farm's workers, the last of which closes the farm; a farm whose
    // workers never started is closed here.
    if (dispatcher) await dispatcher.close().catch(() => undefined);
    else await farm?.close().catch(() => undefined);
  }
}

/**
 * The farm's workers and lanes: a `{"type":"farm",…}` line every second with `--json`, and one
 * line per worker when the render ends (what each delivered, how fast).
 */
function reportFarm(farm: FarmManager, io: CliIO, json: boolean): () => Promise<void> {
  const timer = json
    ? setInterval(() => {
        void farm.status().then((s) => io.out(JSON.stringify({ type: 'farm', ...s })));
      }, 1000)
    : undefined;
  return async () => {
    clearInterval(timer);
    const status = await farm.status();
    if (json) io.out(JSON.stringify({ type: 'farm', ...status }));
    else
      for (const w of summariseFarm(status))
        if (w.segmentsDone)
          io.out(
            `farm: ${w.name} rendered ${w.segmentsDone} segments (${w.framesDone} frames` +
              (w.framesPerSecond ? `, ${w.framesPerSecond.toFixed(1)} frames/s` : '') +
              ')',
          );
  };
}

/** `--farm-listen host[:port]` → the transfer server's address. */
function parseListen(text: string | undefined): { host: string; port?: number } | undefined {
  if (text === undefined) return undefined;
  const address = parseListenAddress(text);
  if (!address)
    throw new CliError(`--farm-listen must be host or host:port, got "${text.slice(0, 80)}"`);
  return address;
}

export const command: CliCommand = {
  name: 'render',
  summary: 'render a project to MP4/WebM/ProRes/GIF/PNG frames (resumable, cached segments)',
  usage,
  run: (argv, io) =>
    runRender(argv, io, {
      startWorkers: startPuppetWorkers,
      env: process.env,
      ffmpegSetting: ffmpegPathSetting,
      packFolders: modelPackFoldersSetting,
      cacheLimit: cacheLimitSetting,
      memoryBudget: memoryBudgetSetting,
    }),
};
