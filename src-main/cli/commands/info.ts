import { resolve } from 'node:path';
import { ProjectError, describeProject, outputFrameCount } from '#shared/project/index';
import { SegmentCache } from '#main/scheduler/cache/segmentCache';
import { loadProject } from '#main/project/projectStore';
import { listManifests } from '#main/scheduler/job/jobManifest';
import { pictureSize } from '#main/scheduler/job/pictureSize';
import { prepareProjectRender } from '#main/scheduler/job/projectRender';
import { planFor } from '#main/scheduler/job/renderJob';
import { parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio info <project> [--json]

  What a render of the project would be: character, pose track, output size, fps, frame range,
  segments and how many of them are already in the cache, and the project's render jobs.
  A project that cannot be rendered yet (no character, no pose track, no keyframes, a missing
  picture) is described as it is, with what is missing; only a project that cannot be read
  exits 2.`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { booleans: ['json'] });
  const [projectArg, extra] = args.positional;
  if (!projectArg) throw new CliError('info needs a project folder');
  if (extra) throw new CliError(`unexpected argument "${extra}"`);
  const dir = resolve(io.cwd, projectArg);
  let job;
  try {
    job = await prepareProjectRender(dir, {}, { pictureSize });
  } catch (e) {
    if (e instanceof ProjectError) return notRenderable(dir, e, args.flags.has('json'), io);
    throw e;
  }
  const plan = planFor(job);
  const cache = SegmentCache.forProject(job.loaded.dir);
  let cached = 0;
  for (const s of plan.segments) if (await cache.has(s.hash)) cached++;
  const jobs = await listManifests(job.loaded.dir);
  const { project } = job.loaded;
  const keyframes = job.track.people.reduce((n, p) => n + p.keyframes.length, 0);
  const info = {
    project: job.loaded.dir,
    name: project.name,
    generator: project.generator.id,
    character: { id: job.character.id, name: job.character.name, picture: job.character.picture },
    track: {
      id: job.track.id,
      name: job.track.name,
      fps: job.track.fps,
      people: job.track.people.length,
      keyframes,
    },
    output: {
      width: job.width,
      height: job.height,
      fps: job.fps,
      from: job.plan.from,
      to: job.plan.to,
      format: job.format,
    },
    seconds: (job.plan.to - job.plan.from) / job.fps,
    segments: {
      count: plan.segments.length,
      length: job.plan.segmentLength,
      strategy: job.plan.strategy,
      cached,
    },
    jobs: jobs.map((m) => ({
      id: m.jobId,
      state: m.state,
      output: m.output,
      done: m.segments.filter((s) => s.done).length,
      segments: m.segments.length,
      updatedAt: m.updatedAt,
    })),
    warnings: job.loaded.warnings.map((w) => `${w.field}: ${w.message}`),
  };
  if (args.flags.has('json')) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  io.out(`${info.name}  (${info.project})`);
  io.out(`  generator   ${info.generator}`);
  io.out(`  character   ${info.character.name} (${info.character.picture})`);
  io.out(
    `  track       ${info.track.name}: ${info.track.keyframes} keyframes, ${info.track.people} person(s), ${info.track.fps} fps`,
  );
  io.out(
    `  output      ${info.output.width}×${info.output.height} ${info.output.format} at ${info.output.fps} fps, frames ${info.output.from}–${info.output.to} (${info.seconds.toFixed(1)} s)`,
  );
  io.out(
    `  segments    ${info.segments.count} × ${info.segments.length} frames (${info.segments.strategy}), ${info.segments.cached} cached`,
  );
  for (const j of info.jobs)
    io.out(`  job ${j.id}  ${j.state.padEnd(9)} ${j.done}/${j.segments} segments  ${j.output}`);
  for (const w of info.warnings) io.out(`  warning: ${w}`);
  return 0;
}

/**
 * A project that is valid but not ready to render (`{"version": 1}` is one): what it holds and
 * why it cannot be rendered yet. A project that cannot even be read is still an error.
 */
async function notRenderable(
  dir: string,
  why: ProjectError,
  json: boolean,
  io: CliIO,
): Promise<number> {
  let loaded;
  try {
    loaded = await loadProject(dir);
  } catch (e) {
    if (e instanceof ProjectError) throw new CliError(e.message);
    throw e;
  }
  const { project } = loaded;
  const notReady = `${why.field}: ${why.reason}`;
  if (json) {
    const { output } = project;
    io.out(
      JSON.stringify(
        {
          project: loaded.dir,
          name: project.name,
          generator: project.generator.id,
          characters: project.characters.length,
          tracks: project.tracks.length,
          output: { ...output, frames: outputFrameCount(project) },
          notReady,
          warnings: loaded.warnings.map((w) => `${w.field}: ${w.message}`),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(`${project.name}  (${loaded.dir})`);
  for (const line of describeProject(project)) io.out(`  ${line}`);
  io.out(`  not ready to render: ${notReady}`);
  for (const w of loaded.warnings) io.out(`  warning: ${w.field}: ${w.message}`);
  return 0;
}

export const command: CliCommand = {
  name: 'info',
  summary: 'show a project: character, track, output, segments cached, render jobs',
  usage,
  run,
};
