/**
 * Keeps the engine process alive: restarts it after a crash with exponential back-off, reports
 * every state change (so the UI can say "engine crashed, restarting in 4 s"), and gives up
 * restarting quickly-crashing engines only after the back-off reaches its ceiling — it keeps
 * trying, just slowly. Process creation is injected (`spawn`). The app does not use it yet: its
 * engines are EngineClient child processes, which restart themselves after a crash.
 */

export interface EngineProcess {
  /** Registers the exit callback (code null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SupervisorState =
  | { state: 'starting'; restarts: number }
  | { state: 'running'; restarts: number }
  | { state: 'restarting'; restarts: number; inMs: number; lastExitCode: number | null }
  | { state: 'stopped'; restarts: number };

export interface SupervisorOptions {
  spawn: () => EngineProcess;
  onState: (s: SupervisorState) => void;
  /** First delay after a crash (doubles each crash). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process that lived this long is considered healthy: the back-off starts over. */
  stableAfterMs?: number;
  now?: () => number;
}

export class EngineSupervisor {
  private current: EngineProcess | null = null;
  private restarts = 0;
  private backoff: number;
  private startedAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.initialBackoffMs ?? 1000;
  }

  start(): void {
    this.stopped = false;
    this.launch();
  }

  /** The running process (to send it work), or null while restarting. */
  process(): EngineProcess | null {
    return this.current;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.current;
    this.current = null;
    p?.kill();
    this.opts.onState({ state: 'stopped', restarts: this.restarts });
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private launch(): void {
    this.opts.onState({ state: 'starting', restarts: this.restarts });
    const p = this.opts.spawn();
    this.current = p;
    this.startedAt = this.now();
    p.onExit((code) => {
      if (this.current !== p) return;
      this.current = null;
      if (this.stopped) return;
      if (this.now() - this.startedAt >= (this.opts.stableAfterMs ?? 60_000)) {
        this.backoff = this.opts.initialBackoffMs ?? 1000;
      }
      const inMs = this.backoff;
      this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 30_000);
      this.restarts++;
      this.opts.onState({ state: 'restarting', restarts: this.restarts, inMs, lastExitCode: code });
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.launch();
      }, inMs);
    });
    this.opts.onState({ state: 'running', restarts: this.restarts });
  }
}
