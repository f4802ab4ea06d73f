/**
 * AnimatedDrawings' `char_cfg.yaml`: the picture's size and a skeleton of named joints in the
 * texture's pixels, each with its parent. Parsed and checked here (pure; the caller reads the
 * file), so a hostile file gives one error naming the place and the reason, never a crash or NaN
 * joints downstream.
 */
import { parse } from 'yaml';

/** A char_cfg.yaml larger than this is not a character config (the real ones are ~1–3 KB). */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** More joints than any rig AnimatedDrawings makes (its largest examples have ~30). */
export const MAX_RIG_JOINTS = 512;
/** The side limit of a picture Pose Studio opens (larger ones are refused by the puppet anyway). */
export const MAX_TEXTURE_SIDE = 16384;

export interface RigJoint {
  name: string;
  /** Texture pixels, x right, y down. */
  x: number;
  y: number;
  parent: string | null;
}

export interface CharacterRig {
  width: number;
  height: number;
  joints: RigJoint[];
}

export class CharacterConfigError extends Error {
  override name = 'CharacterConfigError';
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function side(cfg: Record<string, unknown>, key: 'width' | 'height'): number {
  const v = cfg[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_TEXTURE_SIDE)
    throw new CharacterConfigError(
      key,
      `must be a whole number of pixels from 1 to ${MAX_TEXTURE_SIDE}, got ${describe(v)}`,
    );
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (isRecord(v)) return 'a mapping';
  return String(v);
}

/**
 * Joints may sit a little outside the texture (a hand drawn to the edge), but a coordinate beyond
 * this many picture sizes away is a broken file (1e308 would overflow every later sum).
 */
const OUTSIDE_LIMIT = 4;

function joint(raw: unknown, i: number, width: number, height: number): RigJoint {
  const where = `skeleton[${i}]`;
  if (!isRecord(raw))
    throw new CharacterConfigError(where, `must be a mapping, got ${describe(raw)}`);
  const { name, loc, parent } = raw;
  if (typeof name !== 'string' || name.length === 0 || name.length > 100)
    throw new CharacterConfigError(`${where}.name`, `must be a joint name, got ${describe(name)}`);
  if (!Array.isArray(loc) || loc.length !== 2)
    throw new CharacterConfigError(`${where}.loc`, `must be [x, y], got ${describe(loc)}`);
  const [x, y] = loc as unknown[];
  for (const [axis, v, size] of [
    ['x', x, width],
    ['y', y, height],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new CharacterConfigError(
        `${where}.loc (${name})`,
        `${axis} is ${describe(v)}, not a number of pixels`,
      );
    if (v < -OUTSIDE_LIMIT * size || v > (OUTSIDE_LIMIT + 1) * size)
      throw new CharacterConfigError(
        `${where}.loc (${name})`,
        `${axis} = ${v} lies far outside the ${width}×${height} texture`,
      );
  }
  if (parent !== null && parent !== undefined && typeof parent !== 'string')
    throw new CharacterConfigError(
      `${where}.parent`,
      `must be a joint name or null, got ${describe(parent)}`,
    );
  return {
    name,
    x: x as number,
    y: y as number,
    parent: typeof parent === 'string' ? parent : null,
  };
}

/** Reads a char_cfg.yaml's text into a checked rig. */
export function parseCharacterConfig(text: string): CharacterRig {
  if (text.length > MAX_CONFIG_BYTES)
    throw new CharacterConfigError(
      '(file)',
      `is ${text.length} bytes; a character config is at most ${MAX_CONFIG_BYTES}`,
    );
  let cfg: unknown;
  try {
    // maxAliasCount stops "billion laughs" alias bombs; uniqueKeys refuses a doubled key.
    cfg = parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    throw new CharacterConfigError(
      '(file)',
      `is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!isRecord(cfg))
    throw new CharacterConfigError(
      '(top level)',
      `must be a mapping with width, height and skeleton, got ${describe(cfg)}`,
    );
  const width = side(cfg, 'width');
  const height = side(cfg, 'height');
  const skeleton = cfg.skeleton;
  if (!Array.isArray(skeleton) || skeleton.length === 0)
    throw new CharacterConfigError(
      'skeleton',
      `must be a list of joints, got ${describe(skeleton)}`,
    );
  if (skeleton.length > MAX_RIG_JOINTS)
    throw new CharacterConfigError(
      'skeleton',
      `has ${skeleton.length} joints; at most ${MAX_RIG_JOINTS}`,
    );
  const joints = skeleton.map((j, i) => joint(j, i, width, height));
  const seen = new Set<string>();
  for (const [i, j] of joints.entries()) {
    if (seen.has(j.name))
      throw new CharacterConfigError(`skeleton[${i}].name`, `joint "${j.name}" appears twice`);
    seen.add(j.name);
  }
  for (const [i, j] of joints.entries())
    if (j.parent !== null && !seen.has(j.parent))
      throw new CharacterConfigError(
        `skeleton[${i}].parent`,
        `joint "${j.name}" hangs from "${j.parent}", which the skeleton does not have`,
      );
  return { width, height, joints };
}
