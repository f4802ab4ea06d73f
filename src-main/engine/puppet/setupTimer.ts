/**
 * Times the phases of one character setup, wall clock and process CPU (process.cpuUsage counts
 * every thread: V8's compiler and GC threads, sharp's and ORT's pools), so the bench can say
 * where a setup's time goes.
 */
import type { SetupPhase, SetupPhaseTime } from '#shared/puppet/setupPhases';

const cpuMsNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export class SetupTimer {
  readonly phases: SetupPhaseTime[] = [];
  private wall = performance.now();
  private cpu = cpuMsNow();

  /** Ends the phase that began at the last mark (or at the timer's creation). */
  mark(phase: SetupPhase): void {
    const wall = performance.now();
    const cpu = cpuMsNow();
    this.phases.push({ phase, ms: wall - this.wall, cpuMs: cpu - this.cpu });
    this.wall = wall;
    this.cpu = cpu;
  }
}
