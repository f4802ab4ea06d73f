import type { CoherenceReport } from '#shared/api/coherence';
import type { RgbImage } from '#shared/image/rgbImage';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';

/** Where the character's pixels are known: the workers' background plate, if they have one. */
export interface PlateSource {
  backgroundPlate(): Promise<RgbImage | null>;
}

/**
 * The coherence report of one render, fed every delivered frame in order. The character mask is
 * the exact one when the generator composites over a plate (the puppet: a pixel differs from the
 * plate ⇔ the character drew it), else drift is measured over the whole frame. A measurement
 * never fails a render: if the meter refuses a frame, the render goes on without a report.
 */
export class CoherenceRecorder {
  private meter: CoherenceMeter | null = null;
  private readonly plate: Promise<RgbImage | null>;
  private broken = false;

  constructor(
    private readonly boundaries: number[],
    source: PlateSource,
  ) {
    // Asked for at once: the worker that renders the first segment sets the character up anyway,
    // and the frames wait for the plate only if the first segment comes from the cache.
    this.plate = source.backgroundPlate().catch(() => null);
  }

  /** Resolves once the first frame can be measured (the plate is known or known to be absent). */
  async ready(): Promise<void> {
    if (this.meter || this.broken) return;
    const plate = await this.plate;
    this.meter ??= new CoherenceMeter({
      boundaries: this.boundaries,
      ...(plate ? { plate: plate.data } : {}),
    });
  }

  add(frame: RgbImage): void {
    if (this.broken || !this.meter) return;
    try {
      this.meter.add(frame);
    } catch (e) {
      this.broken = true;
      console.warn(`pose-studio: no coherence report for this render: ${(e as Error).message}`);
    }
  }

  report(): CoherenceReport | null {
    return this.broken || !this.meter ? null : this.meter.report();
  }
}
