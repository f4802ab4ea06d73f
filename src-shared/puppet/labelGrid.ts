/** The label grid: cell (i, j) is centred on picture point (x0 + (i + 0.5)·scale − 0.5, …). */
export interface LabelGrid {
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
  readonly scale: number;
}
