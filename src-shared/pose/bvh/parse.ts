import { PoseFormatError } from '#shared/pose/formats/errors';

/**
 * BVH (Biovision Hierarchy) text → joints and motion numbers. Written here rather than taken from
 * three.js's BVHLoader: that loader needs three's scene graph, reports no line numbers and accepts
 * NaN and short frames silently, while BVH itself is a few keywords and a table of numbers.
 *
 * Accepted: any channel order and subset per joint, any rotation order, End Sites, several ROOTs,
 * CRLF / CR line ends, tabs, braces on the keyword's line, joint names with spaces
 * ("Bip01 L Thigh"). Every error names the line.
 */

export type Axis = 0 | 1 | 2;
export interface BvhChannel {
  kind: 'position' | 'rotation';
  axis: Axis;
}
export type Vec3 = [number, number, number];

export interface BvhJoint {
  name: string;
  /** Index of the parent joint, −1 for a ROOT. */
  parent: number;
  offset: Vec3;
  channels: BvhChannel[];
  /** Index of this joint's first channel in a frame's row of numbers. */
  channelStart: number;
  /** Offset of the End Site (the tip of a chain: head top, finger tip), when there is one. */
  endSite?: Vec3;
  /** Line of the JOINT / ROOT keyword (for messages). */
  line: number;
}

export interface BvhClip {
  joints: BvhJoint[];
  channelCount: number;
  frameCount: number;
  /** Seconds per frame. */
  frameTime: number;
  /** frameCount × channelCount numbers, one row per frame. */
  motion: Float64Array;
}

/** Beyond these a file is not motion capture: refused before memory is spent on it. */
export const BVH_LIMITS = {
  joints: 1000,
  frames: 1_000_000,
  numbers: 50_000_000,
  /** Centimetres or degrees; anything larger is corrupt data (1e308 would overflow the maths). */
  magnitude: 1e6,
  maxFrameTime: 60,
} as const;

const CHANNEL_NAMES: Record<string, BvhChannel> = {
  xposition: { kind: 'position', axis: 0 },
  yposition: { kind: 'position', axis: 1 },
  zposition: { kind: 'position', axis: 2 },
  xrotation: { kind: 'rotation', axis: 0 },
  yrotation: { kind: 'rotation', axis: 1 },
  zrotation: { kind: 'rotation', axis: 2 },
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Token {
  text: string;
  line: number;
}

class Reader {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string | undefined,
    private readonly lastLine: number,
  ) {}
  fail(reason: string, line = this.peek()?.line ?? this.lastLine): never {
    throw new PoseFormatError(reason, `line ${line}`, this.file);
  }
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) this.fail(`the hierarchy ends early: expected ${what} (missing "}"?)`, this.lastLine);
    return t;
  }
  expect(text: string): Token {
    const t = this.next(`"${text}"`);
    if (t.text.toLowerCase() !== text.toLowerCase())
      this.fail(`expected "${text}", found "${t.text}"`, t.line);
    return t;
  }
  /** The rest of a keyword's line up to a brace: a joint name may hold spaces. */
  restOfLine(line: number): string {
    const words: string[] = [];
    while (this.peek() && this.peek()!.line === line && !'{}'.includes(this.peek()!.text))
      words.push(this.next('a name').text);
    return words.join(' ');
  }
  number(what: string): number {
    const t = this.next(what);
    return finiteNumber(t.text, what, t.line, this.file);
  }
}

export function finiteNumber(text: string, what: string, line: number, file?: string): number {
  if (!NUMBER.test(text))
    throw new PoseFormatError(`${what}: "${text}" is not a number`, `line ${line}`, file);
  const v = Number(text);
  if (!(Math.abs(v) <= BVH_LIMITS.magnitude))
    throw new PoseFormatError(
      `${what}: ${text} is out of range (BVH values are centimetres or degrees, at most ${BVH_LIMITS.magnitude})`,
      `line ${line}`,
      file,
    );
  return v;
}

function parseJoint(
  r: Reader,
  joints: BvhJoint[],
  parent: number,
  keyword: Token,
  channelStart: number,
): number {
  const name = r.restOfLine(keyword.line);
  if (!name) r.fail(`${keyword.text} has no name`, keyword.line);
  if (joints.length >= BVH_LIMITS.joints)
    r.fail(`more than ${BVH_LIMITS.joints} joints: not a motion-capture skeleton`, keyword.line);
  r.expect('{');
  r.expect('OFFSET');
  const offset: Vec3 = [r.number('OFFSET x'), r.number('OFFSET y'), r.number('OFFSET z')];
  const joint: BvhJoint = { name, parent, offset, channels: [], channelStart, line: keyword.line };
  const index = joints.push(joint) - 1;
  let channels = 0;
  if (r.peek()?.text.toUpperCase() === 'CHANNELS') {
    const kw = r.next('CHANNELS');
    const count = r.number('CHANNELS count');
    if (!Number.isInteger(count) || count < 0 || count > 6)
      r.fail(`CHANNELS count must be 0 to 6, got ${count}`, kw.line);
    for (let k = 0; k < count; k++) {
      const t = r.next(`channel ${k + 1} of ${count}`);
      const c = CHANNEL_NAMES[t.text.toLowerCase()];
      if (!c)
        r.fail(
          `"${t.text}" is not a channel (Xposition … Zrotation); CHANNELS says ${count} channels`,
          t.line,
        );
      joint.channels.push(c);
    }
    channels = count;
  }
  for (;;) {
    const t = r.next('JOINT, End Site or "}"');
    const word = t.text.toUpperCase();
    if (t.text === '}') return channels;
    if (word === 'JOINT') {
      channels += parseJoint(r, joints, index, t, channelStart + channels);
    } else if (word === 'END') {
      r.expect('Site');
      r.expect('{');
      r.expect('OFFSET');
      joint.endSite = [r.number('End Site x'), r.number('End Site y'), r.number('End Site z')];
      r.expect('}');
    } else r.fail(`expected JOINT, End Site or "}", found "${t.text}"`, t.line);
  }
}

function tokenize(lines: readonly string[], from: number, to: number): Token[] {
  const tokens: Token[] = [];
  for (let i = from; i < to; i++)
    for (const text of lines[i]!.replace(/[{}]/g, ' $& ').split(/\s+/))
      if (text) tokens.push({ text, line: i + 1 });
  return tokens;
}

/** Parses BVH text; throws PoseFormatError("line N: …") on anything it cannot read exactly. */
export function parseBvh(text: string, file?: string): BvhClip {
  const lines = text.split(/\r\n|\r|\n/);
  const fail = (reason: string, line: number): never => {
    throw new PoseFormatError(reason, `line ${line}`, file);
  };
  const motionAt = lines.findIndex((l) => /^\s*MOTION\s*$/i.test(l));
  if (motionAt < 0) fail('no MOTION section: the file is not BVH or is cut short', lines.length);
  const r = new Reader(tokenize(lines, 0, motionAt), file, motionAt + 1);
  r.expect('HIERARCHY');
  const joints: BvhJoint[] = [];
  let channelCount = 0;
  while (r.peek()) {
    const root = r.next('ROOT');
    if (root.text.toUpperCase() !== 'ROOT')
      r.fail(`expected ROOT, found "${root.text}"`, root.line);
    channelCount += parseJoint(r, joints, -1, root, channelCount);
  }
  if (joints.length === 0) fail('the HIERARCHY has no ROOT joint', motionAt + 1);

  let at = motionAt + 1;
  const header = (label: RegExp, what: string): { value: string; line: number } => {
    while (at < lines.length && !lines[at]!.trim()) at++;
    const m = label.exec(lines[at]?.trim() ?? '');
    if (!m) fail(`expected "${what}" after MOTION`, Math.min(at + 1, lines.length));
    return { value: m![1]!, line: ++at };
  };
  const frames = header(/^Frames:\s*(\S*)$/i, 'Frames: <count>');
  const frameCount = /^\d+$/.test(frames.value) ? Number(frames.value) : NaN;
  if (!(frameCount >= 1))
    fail(`Frames must be a whole number ≥ 1, got ${frames.value || 'nothing'}`, frames.line);
  if (frameCount > BVH_LIMITS.frames || frameCount * channelCount > BVH_LIMITS.numbers)
    fail(
      `Frames: ${frameCount} is more than this importer takes (${BVH_LIMITS.frames} frames)`,
      frames.line,
    );
  const ft = header(/^Frame\s+Time:\s*(\S*)$/i, 'Frame Time: <seconds>');
  const frameTime = finiteNumber(ft.value, 'Frame Time', ft.line, file);
  if (!(frameTime > 0 && frameTime <= BVH_LIMITS.maxFrameTime))
    fail(
      `Frame Time must be > 0 and ≤ ${BVH_LIMITS.maxFrameTime} seconds, got ${ft.value}`,
      ft.line,
    );
  if (lines.length - at < frameCount)
    fail(
      `the motion is truncated: Frames says ${frameCount} but the file has only ${lines.length - at} lines after Frame Time`,
      lines.length,
    );

  const motion = new Float64Array(frameCount * channelCount);
  let frame = 0;
  for (; at < lines.length; at++) {
    const line = lines[at]!.trim();
    if (!line) continue;
    if (frame === frameCount)
      fail(`more frame lines than "Frames: ${frameCount}" declares`, at + 1);
    const values = line.split(/\s+/);
    if (values.length !== channelCount)
      fail(
        `frame ${frame} has ${values.length} numbers, the hierarchy's CHANNELS add up to ${channelCount}`,
        at + 1,
      );
    for (let c = 0; c < channelCount; c++)
      motion[frame * channelCount + c] = finiteNumber(
        values[c]!,
        `frame ${frame}, channel ${c + 1}`,
        at + 1,
        file,
      );
    frame++;
  }
  if (frame < frameCount)
    fail(
      `the motion is truncated: Frames says ${frameCount}, the file holds ${frame}`,
      lines.length,
    );
  return { joints, channelCount, frameCount, frameTime, motion };
}
