import { ContentHasher } from './hash';
import { RENDER_STRATEGIES, type RenderStrategy } from './strategy';

/**
 * How a render is split into segments and how segments depend on each other.
 *
 * - `independent` (puppet): every frame depends only on its own pose, so segments are plain
 *   chunks of T frames with no overlap and no dependencies; an edit re-renders only the chunks
 *   whose poses changed.
 * - `fused` (MimicMotion-style overlap fusion): windows of T frames with stride T−O, the last one
 *   pulled back to end on the last frame. Predictions of overlapping windows are blended every
 *   denoising step, so a window's pixels depend on the inputs of every window of its fusion
 *   group (`coupled`). Groups are independent of each other unless `holdGroupBoundaries`: then
 *   the first window of each later group re-sees the overlap frames the previous group generated
 *   (held to them at every step), is `after` the previous group's last segment, and the previous
 *   group delivers that whole overlap — an edit re-renders its group and every group after it.
 * - `interleaved` (PoseGen): windows of T frames; even windows are anchors generated first and
 *   independently, odd windows are transitions that see O generated frames of each neighbour
 *   (`after` both neighbours).
 * - `chained` (Wan-Animate / TalkingPose): each window sees the last O generated frames of the
 *   previous one (`after` the previous segment), so an edit re-renders everything after it.
 */

export interface PlanSettings {
  /** First frame rendered (inclusive). */
  from: number;
  /** End of the render (exclusive). */
  to: number;
  /** Window length T in frames: the project's `render.segmentLength`. */
  segmentLength: number;
  /** Overlap O in frames (0 for `independent`): the project's `render.segmentOverlap`. */
  segmentOverlap: number;
  strategy: RenderStrategy;
  /**
   * The anchor every window carries (diffusion puts the reference pose at position 0 of each
   * window). A timeline frame, or -1 for the character's own reference pose.
   */
  anchorFrame: number;
  /** `fused` only: windows blended together in one denoising loop (default: all of them). */
  fusionGroupWindows?: number;
  /**
   * `fused` only: join fusion groups instead of cutting between them. The overlap of a group's
   * first window with the previous group's last window is delivered by the previous group, and
   * the later group holds those frames to the delivered ones at every denoising step (`after`
   * the previous group's last segment). Off for the puppet, whose windows are not coupled.
   */
  holdGroupBoundaries?: boolean;
}

export const SEGMENT_ROLES = ['chunk', 'window', 'anchor', 'transition'] as const;
export type SegmentRole = (typeof SEGMENT_ROLES)[number];

export interface Segment {
  index: number;
  role: SegmentRole;
  /** Frames the generator works on: [windowStart, windowEnd). */
  windowStart: number;
  windowEnd: number;
  /** Frames this segment delivers to the video: [start, end). Segments partition [from, to). */
  start: number;
  end: number;
  anchorFrame: number;
  /** Segments whose generated frames this one consumes: they must be finished first. */
  after: number[];
  /** Segments whose inputs change this one's pixels without an ordering constraint. */
  coupled: number[];
  /** Hash of this segment's own inputs (its window's poses, the anchor, the render settings). */
  inputHash: string;
  /** Content hash of everything that affects its pixels: inputs, coupled inputs, dependency hashes. */
  hash: string;
}

export interface RenderPlan {
  settings: PlanSettings;
  /** Hash of the generator/character/output settings shared by every segment. */
  settingsHash: string;
  /** Segments sorted by `start`: delivery order. */
  segments: Segment[];
}

export interface PlanInputs {
  /** A hash of everything that affects a single frame's pixels at `frame` (its pose, mostly). */
  frameHash(frame: number): string;
  /** A hash of what every frame shares: generator, model, character, size, seed, … */
  settingsHash: string;
}

export function validatePlanSettings(s: PlanSettings): void {
  const int = (v: number, name: string) => {
    if (!Number.isInteger(v)) throw new RangeError(`${name} must be a whole number, got ${v}`);
  };
  int(s.from, 'from');
  int(s.to, 'to');
  int(s.segmentLength, 'segmentLength');
  int(s.segmentOverlap, 'segmentOverlap');
  int(s.anchorFrame, 'anchorFrame');
  if (s.from < 0) throw new RangeError(`from must be ≥ 0, got ${s.from}`);
  if (s.to <= s.from) throw new RangeError(`to (${s.to}) must be after from (${s.from})`);
  if (s.segmentLength < 1)
    throw new RangeError(`segmentLength must be ≥ 1, got ${s.segmentLength}`);
  if (s.segmentOverlap < 0 || s.segmentOverlap >= s.segmentLength)
    throw new RangeError(
      `segmentOverlap must be in [0, segmentLength), got ${s.segmentOverlap} for segmentLength ${s.segmentLength}`,
    );
  if (s.strategy === 'independent' && s.segmentOverlap !== 0)
    throw new RangeError(
      'the independent strategy renders every frame once: segmentOverlap must be 0',
    );
  if (!(RENDER_STRATEGIES as readonly string[]).includes(s.strategy))
    throw new RangeError(`unknown strategy "${String(s.strategy)}"`);
  if (s.fusionGroupWindows !== undefined && !(s.fusionGroupWindows >= 1))
    throw new RangeError('fusionGroupWindows must be ≥ 1');
}

/**
 * Window starts for stride T−O over [from, to). The last window is pulled back so it ends exactly
 * on `to` — never wrapped around to the start of a non-looping video.
 */
export function windowStarts(from: number, to: number, window: number, overlap: number): number[] {
  const n = to - from;
  if (n <= window) return [from];
  const stride = window - overlap;
  const starts: number[] = [];
  for (let s = from; s + window < to; s += stride) starts.push(s);
  const last = to - window;
  if (starts[starts.length - 1]! !== last) starts.push(last);
  return starts;
}

interface Shape {
  role: SegmentRole;
  windowStart: number;
  windowEnd: number;
  start: number;
  end: number;
  after: number[];
  coupled: number[];
}

function chunks(s: PlanSettings): Shape[] {
  const out: Shape[] = [];
  for (let start = s.from; start < s.to; start += s.segmentLength) {
    const end = Math.min(start + s.segmentLength, s.to);
    out.push({
      role: 'chunk',
      windowStart: start,
      windowEnd: end,
      start,
      end,
      after: [],
      coupled: [],
    });
  }
  return out;
}

function fused(s: PlanSettings): Shape[] {
  const starts = windowStarts(s.from, s.to, s.segmentLength, s.segmentOverlap);
  const group = s.fusionGroupWindows ?? starts.length;
  const endOf = (i: number) => Math.min(starts[i]! + s.segmentLength, s.to);
  // Each frame is delivered by the window whose share of it is largest: split overlaps mid-way.
  const midway = (i: number) => Math.floor((starts[i]! + endOf(i - 1)) / 2);
  // cut[i]: the first frame window i delivers. At a held group boundary the earlier group delivers
  // the whole overlap (the later one only re-sees those frames). A boundary is held only where
  // that works: the previous window delivers the whole overlap, and this one still delivers a
  // frame after it (with a large overlap, or before the pulled-back last window, it would not);
  // elsewhere the groups meet mid-way as groups without holding do.
  const held: boolean[] = starts.map(() => false);
  const cut: number[] = [s.from];
  for (let i = 1; i < starts.length; i++) {
    const next = i + 1 < starts.length ? midway(i + 1) : s.to;
    held[i] =
      s.holdGroupBoundaries === true &&
      i % group === 0 &&
      endOf(i - 1) > starts[i]! &&
      cut[i - 1]! <= starts[i]! &&
      endOf(i - 1) < next;
    cut.push(held[i] ? endOf(i - 1) : midway(i));
  }
  cut.push(s.to);
  return starts.map((ws, i) => {
    const g0 = Math.floor(i / group) * group;
    const coupled: number[] = [];
    for (let j = g0; j < Math.min(g0 + group, starts.length); j++) if (j !== i) coupled.push(j);
    const after = held[i] ? [i - 1] : [];
    return {
      role: 'window',
      windowStart: ws,
      windowEnd: endOf(i),
      start: cut[i]!,
      end: cut[i + 1]!,
      after,
      coupled,
    };
  });
}

function interleaved(s: PlanSettings): Shape[] {
  return chunks(s).map((c, i, all) => {
    if (i % 2 === 0) return { ...c, role: 'anchor' };
    const after = [i - 1];
    if (i + 1 < all.length) after.push(i + 1);
    return {
      ...c,
      role: 'transition',
      windowStart: Math.max(s.from, c.start - s.segmentOverlap),
      windowEnd: Math.min(s.to, c.end + s.segmentOverlap),
      after,
    };
  });
}

function chained(s: PlanSettings): Shape[] {
  const out: Shape[] = [];
  // The first window owns T frames; each later one re-sees the previous O generated frames.
  for (let start = s.from; start < s.to;) {
    const i = out.length;
    const windowStart = i === 0 ? start : start - s.segmentOverlap;
    const end = Math.min(windowStart + s.segmentLength, s.to);
    const after = i === 0 ? [] : [i - 1];
    out.push({ role: 'window', windowStart, windowEnd: end, start, end, after, coupled: [] });
    start = end;
  }
  return out;
}

function shapes(s: PlanSettings): Shape[] {
  switch (s.strategy) {
    case 'independent':
      return chunks(s);
    case 'fused':
      return fused(s);
    case 'interleaved':
      return interleaved(s);
    case 'chained':
      return chained(s);
  }
}

/** Segments in an order where every `after` dependency comes first. */
export function executionOrder(plan: RenderPlan): number[] {
  return dependencyOrder(plan.segments, (s) => s.after);
}

/** Segments in an order where every dependency `dependsOn` names comes first. */
function dependencyOrder(segments: Segment[], dependsOn: (s: Segment) => number[]): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  let progress = true;
  while (order.length < segments.length && progress) {
    progress = false;
    for (const seg of segments) {
      if (done.has(seg.index) || !dependsOn(seg).every((d) => done.has(d))) continue;
      done.add(seg.index);
      order.push(seg.index);
      progress = true;
    }
  }
  if (order.length < segments.length) throw new Error('render plan has a dependency cycle');
  return order;
}

/**
 * Splits [from, to) into segments and gives each a content hash. Pure and cheap: the caller
 * hashes each frame's pose once; a segment's hash then costs one word per frame of its window.
 */
export function planRender(settings: PlanSettings, inputs: PlanInputs): RenderPlan {
  validatePlanSettings(settings);
  const list = shapes(settings);
  const anchorHash = settings.anchorFrame >= 0 ? inputs.frameHash(settings.anchorFrame) : 'ref';
  const segments: Segment[] = list.map((sh, index) => {
    const h = new ContentHasher()
      .string(settings.strategy)
      .string(sh.role)
      .hash(inputs.settingsHash)
      .hash(anchorHash)
      .number(sh.windowStart)
      .number(sh.windowEnd)
      .number(sh.start)
      .number(sh.end);
    for (let f = sh.windowStart; f < sh.windowEnd; f++) h.hash(inputs.frameHash(f));
    return { index, ...sh, anchorFrame: settings.anchorFrame, inputHash: h.digest(), hash: '' };
  });
  const plan: RenderPlan = { settings, settingsHash: inputs.settingsHash, segments };
  // A segment's pixels depend on its coupled segments' dependencies too (a held fusion-group
  // boundary is `after` on the group's first window only, but it shapes the whole group).
  const dependsOn = (seg: Segment) => [
    ...seg.after,
    ...seg.coupled.flatMap((c) => segments[c]!.after),
  ];
  for (const i of dependencyOrder(segments, dependsOn)) {
    const seg = segments[i]!;
    const h = new ContentHasher().hash(seg.inputHash);
    for (const c of seg.coupled) h.string('coupled').hash(segments[c]!.inputHash);
    for (const a of seg.after) h.string('after').hash(segments[a]!.hash);
    for (const c of seg.coupled)
      for (const a of segments[c]!.after) h.string('coupled-after').hash(segments[a]!.hash);
    seg.hash = h.digest();
  }
  return plan;
}

/** The segment that delivers `frame` (binary search over the partition). */
export function segmentOfFrame(plan: RenderPlan, frame: number): Segment | undefined {
  const segs = plan.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segs[mid]!;
    if (frame < s.start) hi = mid - 1;
    else if (frame >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/**
 * The order to start segments in so that frames can be delivered front to back with little
 * held in memory: walk segments in delivery order and start each one's `after` dependencies
 * just before it (interleaved: 0, 2, 1, 4, 3, …; chained: 0, 1, 2, …).
 */
export function launchOrder(plan: RenderPlan): number[] {
  const started = new Set<number>();
  const order: number[] = [];
  const visit = (i: number, stack: Set<number>) => {
    if (started.has(i)) return;
    if (stack.has(i)) throw new Error('render plan has a dependency cycle');
    stack.add(i);
    for (const d of plan.segments[i]!.after) visit(d, stack);
    stack.delete(i);
    started.add(i);
    order.push(i);
  };
  for (const s of plan.segments) visit(s.index, new Set());
  return order;
}
