import { MAX_CANVAS_SIDE, MAX_FPS, MAX_FRAME, MIN_FPS } from '#shared/project/limits';
import { CliError } from './cliError';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Minimal, strict flag parser: `--name value`, `--name=value`, `-o value` and boolean `--flag`.
 * `booleans` lists the flags that take no value; any flag not in `known` is an error, so a typo
 * never silently does the wrong thing.
 */
export function parseArgs(
  argv: string[],
  known: { values?: string[]; booleans?: string[]; aliases?: Record<string, string> } = {},
): ParsedArgs {
  const values = new Set(known.values ?? []);
  const booleans = new Set(known.booleans ?? []);
  const aliases = known.aliases ?? {};
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let name = arg.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    name = aliases[name] ?? name;
    if (booleans.has(name)) {
      if (value !== undefined) throw new CliError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (values.has(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new CliError(`--${name} needs a value`);
      }
      flags.set(name, value);
    } else {
      throw new CliError(`unknown option ${arg}`);
    }
  }
  return { positional, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new CliError(`--${name} must be a whole number, got "${v}"`);
  return Number(v);
}

/** A frame number flag: a whole number from 0 to the project format's MAX_FRAME. */
export function flagFrame(args: ParsedArgs, name: string): number | undefined {
  const v = flagInt(args, name);
  if (v !== undefined && (v < 0 || v > MAX_FRAME))
    throw new CliError(`--${name} must be a frame number from 0 to ${MAX_FRAME}, got ${v}`);
  return v;
}

/** A frames-per-second flag, within the project format's fps range. */
export function flagFps(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(n >= MIN_FPS && n <= MAX_FPS))
    throw new CliError(`--${name} must be a number from ${MIN_FPS} to ${MAX_FPS}, got "${v}"`);
  return n;
}

/** Parses `WxH` (e.g. `768x512`) into a canvas size (sides up to the project's canvas limit). */
export function parseSize(text: string, flag = 'size'): { width: number; height: number } {
  const m = /^(\d+)[xX](\d+)$/.exec(text);
  if (!m) throw new CliError(`--${flag} must look like 768x512, got "${text}"`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 1 || height < 1 || width > MAX_CANVAS_SIDE || height > MAX_CANVAS_SIDE)
    throw new CliError(
      `--${flag} must be between 1x1 and ${MAX_CANVAS_SIDE}x${MAX_CANVAS_SIDE}, got "${text}"`,
    );
  return { width, height };
}
