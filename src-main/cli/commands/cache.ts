import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatBytes } from '#shared/api/cache';
import {
  cacheUsage,
  liveJobSegments,
  pruneCache,
  type CacheKind,
  type CacheTally,
} from '#main/scheduler/cache/cachePruner';
import { ProjectError } from '#shared/project/index';
import { PROJECT_FILE } from '#main/project/projectPaths';
import { flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import { cacheLimitSetting } from '#main/cli/cliSettings';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio cache <project> [--prune] [--max-size 5G] [--json]

  How much disk the project's cache takes (finished segments, diffusion reference banks, stray
  temporary files of interrupted writes). With --prune, removes the least recently used files
  until the cache fits in --max-size (default: the segmentCacheLimitGB setting, 20 GB), and
  temporary files older than 5 minutes; segments of renders still running (or interrupted within
  the last day, so they can be resumed) are kept. Renders prune automatically when they finish.
  --max-size     e.g. 500M, 5G, 1.5T (1024-based); 0 removes everything that may go
  --json         one JSON object instead of text`;

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `5G`, `500M`, `1.5T`, `750MB`, `2GiB` → bytes (powers of 1024); `0` → 0. */
export function parseByteSize(text: string): number {
  if (/^0+(\.0*)?$/.test(text.trim())) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT])(?:i?B)?$/i.exec(text.trim());
  const bytes = m ? Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : NaN;
  if (!Number.isFinite(bytes) || bytes > 1024 ** 5)
    throw new CliError(`--max-size must look like 500M, 5G or 1.5T, got "${text}"`);
  return bytes;
}

const KIND_LABELS: Record<CacheKind, string> = {
  segments: 'segments',
  diffusionBanks: 'diffusion banks',
  temp: 'temporary files',
};

function line(label: string, t: CacheTally): string {
  return `  ${label.padEnd(16)} ${String(t.files).padStart(7)} files  ${formatBytes(t.bytes).padStart(10)}`;
}

export interface CacheDeps {
  /** The settings' cache limit in bytes (the file serve mode and the CLI share). */
  settingsLimitBytes(): Promise<number>;
}

/** A cache folder that leads outside the project (a link) is bad input: one line, exit 2. */
function cliProjectError(e: unknown): never {
  if (e instanceof ProjectError) throw new CliError(e.message);
  throw e;
}

export async function runCache(argv: string[], io: CliIO, deps: CacheDeps): Promise<number> {
  const args = parseArgs(argv, { values: ['max-size'], booleans: ['prune', 'json'] });
  const [projectArg, extra] = args.positional;
  if (!projectArg)
    throw new CliError('cache needs a project folder (see pose-studio cache --help)');
  if (extra) throw new CliError(`unexpected argument "${extra}"`);
  const sizeArg = flagString(args, 'max-size');
  const prune = args.flags.has('prune');
  if (sizeArg !== undefined && !prune)
    throw new CliError('--max-size is the size to prune to: use it with --prune');
  const maxBytes = sizeArg !== undefined ? parseByteSize(sizeArg) : undefined;
  const dir = resolve(io.cwd, projectArg);
  const isProject = (await stat(join(dir, PROJECT_FILE)).catch(() => null))?.isFile() ?? false;
  if (!isProject)
    throw new CliError(`${dir}: no ${PROJECT_FILE} here (not a Pose Studio project folder)`);
  const limit = maxBytes ?? (await deps.settingsLimitBytes());

  if (!prune) {
    const u = await cacheUsage(dir).catch(cliProjectError);
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ project: dir, usage: u, limitBytes: limit }));
      return 0;
    }
    io.out(
      `cache of ${dir}: ${formatBytes(u.bytes)} in ${u.files} files (limit ${formatBytes(limit)})`,
    );
    for (const k of Object.keys(KIND_LABELS) as CacheKind[])
      io.out(line(KIND_LABELS[k], u.byKind[k]));
    return 0;
  }

  const keep = await liveJobSegments(dir).catch(cliProjectError);
  const r = await pruneCache(dir, { maxBytes: limit, keep }).catch(cliProjectError);
  if (args.flags.has('json')) {
    io.out(
      JSON.stringify({
        project: dir,
        limitBytes: limit,
        before: r.before,
        removed: r.removed,
        removedFiles: r.removedFiles,
        after: r.after,
        keptBytes: r.keptBytes,
        overLimit: r.overLimit,
        ms: Math.round(r.ms),
      }),
    );
    return 0;
  }
  io.out(
    `pruned the cache of ${dir} to ${formatBytes(limit)}: removed ${r.removed.files} files ` +
      `(${formatBytes(r.removed.bytes)}), ${formatBytes(r.after.bytes)} in ${r.after.files} files left`,
  );
  for (const k of Object.keys(KIND_LABELS) as CacheKind[])
    if (r.removed.byKind[k].files > 0)
      io.out(line(`removed ${KIND_LABELS[k]}`, r.removed.byKind[k]));
  if (r.overLimit)
    io.out(
      `  still over the limit: ${formatBytes(r.keptBytes)} belong to renders running or resumable, ` +
        `or to writes in progress`,
    );
  return 0;
}

export const command: CliCommand = {
  name: 'cache',
  summary: "show the project's cache size by kind; --prune to a size (least recently used first)",
  usage,
  run: (argv, io) => runCache(argv, io, { settingsLimitBytes: cacheLimitSetting }),
};
