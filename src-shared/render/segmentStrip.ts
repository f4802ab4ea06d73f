/**
 * The render queue's segment strip: where each segment of a running render is (waiting for a
 * worker, rendering, in the video, taken from the cache), sent as one letter per cell so a
 * progress event stays small however long the video is. Pure; the scheduler writes it, the
 * studio reads it back.
 */

/** A segment's place in a running render, as the strip colours it. */
export const SEGMENT_STRIP_STATES = ['queued', 'rendering', 'done', 'cached'] as const;
export type SegmentStripState = (typeof SEGMENT_STRIP_STATES)[number];

const LETTER: Record<SegmentStripState, string> = {
  queued: 'q',
  rendering: 'r',
  done: 'd',
  cached: 'c',
};
const STATE_OF_LETTER = new Map<string, SegmentStripState>(
  SEGMENT_STRIP_STATES.map((s) => [LETTER[s], s]),
);

/**
 * At most this many cells go over the wire: a strip wider than the queue row cannot show more,
 * and a 10-million-frame render must not send a megabyte four times a second.
 */
export const SEGMENT_STRIP_MAX_CELLS = 400;

/** What the wire accepts: only the strip's letters, at most the maximum. */
export const SEGMENT_STRIP_PATTERN = /^[qrdc]*$/;

/** The segments of one render and where each is; `text()` is what a progress event carries. */
export class SegmentStrip {
  private readonly states: SegmentStripState[];
  /** The last `text()` and its cell count: progress events ask often, segments change seldom. */
  private cached: { cells: number; text: string } | null = null;

  constructor(readonly count: number) {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`segment count must be a whole number ≥ 0, got ${count}`);
    this.states = Array.from({ length: count }, () => 'queued');
  }

  started(index: number): void {
    // A segment already in the video (a retry's late start report) stays there.
    if (this.states[index] === 'queued') {
      this.states[index] = 'rendering';
      this.cached = null;
    }
  }

  delivered(index: number, source: 'cache' | 'rendered'): void {
    if (index >= 0 && index < this.count) {
      this.states[index] = source === 'cache' ? 'cached' : 'done';
      this.cached = null;
    }
  }

  state(index: number): SegmentStripState | undefined {
    return this.states[index];
  }

  /**
   * One letter per segment, or per cell of neighbouring segments when there are more than
   * `maxCells`: a cell is `rendering` if any of its segments is, else `queued` while any waits,
   * else `cached` when all came from the cache, else `done`.
   */
  text(maxCells = SEGMENT_STRIP_MAX_CELLS): string {
    const cells = Math.min(this.count, Math.max(1, Math.floor(maxCells)));
    if (this.cached?.cells === cells) return this.cached.text;
    let out = '';
    for (let c = 0; c < cells; c++) {
      const from = Math.floor((c * this.count) / cells);
      const to = Math.floor(((c + 1) * this.count) / cells);
      out += LETTER[cellState(this.states, from, to)];
    }
    this.cached = { cells, text: out };
    return out;
  }
}

function cellState(
  states: readonly SegmentStripState[],
  from: number,
  to: number,
): SegmentStripState {
  let queued = false;
  let done = false;
  for (let i = from; i < to; i++) {
    const s = states[i]!;
    if (s === 'rendering') return 'rendering';
    if (s === 'queued') queued = true;
    else if (s === 'done') done = true;
  }
  return queued ? 'queued' : done ? 'done' : 'cached';
}

/**
 * The cells of a strip as the studio received it (events are not validated in the page): any
 * other value, or a letter that is not the strip's, gives no strip rather than a wrong one.
 */
export function readSegmentStrip(text: unknown): SegmentStripState[] {
  if (typeof text !== 'string' || text.length > SEGMENT_STRIP_MAX_CELLS) return [];
  const cells: SegmentStripState[] = [];
  for (const letter of text) {
    const state = STATE_OF_LETTER.get(letter);
    if (!state) return [];
    cells.push(state);
  }
  return cells;
}

/** How many cells are in each state. */
export function countStrip(cells: readonly SegmentStripState[]): Record<SegmentStripState, number> {
  const counts = { queued: 0, rendering: 0, done: 0, cached: 0 };
  for (const c of cells) counts[c]++;
  return counts;
}
