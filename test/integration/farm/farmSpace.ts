import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  killGroup,
  setRenderRange,
  spawnCli,
  type CliProcess,
  type JsonLine,
} from '#test/helpers/farmProcesses';
import { copySample } from '../render/helpers';

/** A worker the test SIGKILLed while it held a segment. */
export interface Victim {
  hash: string;
  worker: string;
}

/**
 * What an end-to-end farm test starts and makes: sample-project copies, temp folders and CLI
 * processes, all removed or killed by `dispose`.
 */
export class FarmTestSpace {
  private readonly temps: string[] = [];
  private readonly children: ChildProcess[] = [];

  /** A copy of the sample project rendering `frames` frames in segments of `segmentLength`. */
  project(prefix: string, frames: number, segmentLength: number): string {
    const { root, project } = copySample(prefix);
    this.temps.push(root);
    setRenderRange(project, frames, segmentLength);
    return project;
  }

  folder(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.temps.push(dir);
    return dir;
  }

  cli(args: string[], onLine?: (l: JsonLine) => void): CliProcess {
    return spawnCli(args, onLine, this.children);
  }

  /**
   * `count` farm worker processes, each with its own input cache; the first to start a segment is
   * SIGKILLed (with its engine) 200 ms later, mid-segment. Resolves once all are ready.
   */
  async workersWithVictim(
    redisUrl: string,
    count: number,
    lockMs: number,
  ): Promise<{ workers: CliProcess[]; events: JsonLine[]; victim(): Victim | undefined }> {
    const cache = this.folder('ps-farm-assets-');
    const events: JsonLine[] = [];
    let victim: Victim | undefined;
    const ready: Promise<void>[] = [];
    const workers: CliProcess[] = [];
    for (let n = 0; n < count; n++) {
      let markReady!: () => void;
      ready.push(new Promise((r) => (markReady = r)));
      workers.push(
        this.cli(
          [
            'farm',
            'worker',
            '--redis',
            redisUrl,
            '--lock-ms',
            String(lockMs),
            '--cache',
            join(cache, String(n)),
          ],
          (l) => {
            events.push(l);
            if (l.type === 'ready') markReady();
            if (l.type === 'segment-start' && !victim) {
              victim = { hash: l.hash!, worker: l.worker! };
              // Mid-segment: its engine is still booting or rendering 200 ms after it took the job.
              setTimeout(() => killGroup(workers[n]!.child), 200);
            }
          },
        ),
      );
    }
    await Promise.all(ready);
    return { workers, events, victim: () => victim };
  }

  dispose(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) killGroup(c);
    for (const d of this.temps) rmSync(d, { recursive: true, force: true });
  }
}
