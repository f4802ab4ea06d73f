/**
 * One engine process seen from the parent: starts it, numbers requests and matches answers,
 * times out a silent request (progress messages restart its clock), turns a death into
 * EngineCrashedError for every call in flight, restarts the process and runs the restart hooks
 * (replays of what the clients had set up), gives up after repeated crashes, and closes.
 * It knows nothing of puppets, diffusion or extraction: those clients build the requests.
 */
import { type EngineOptions, Hello, type RequestBody } from '#main/engine/protocol';
import { type EngineChannel, startEngineProcess } from '#main/engine/startEngineProcess';
import { EngineCrashedError } from './errors';
import { PendingRequests } from './pendingRequests';

export type EngineStartOptions = EngineOptions & {
  /** Restarts allowed within a minute before the connection gives up (default 3). */
  maxRestartsPerMinute?: number;
};

/** How the engine process is made (the real fork by default; a test may pass a fake). */
export type StartProcess = (options: EngineOptions) => EngineChannel;

/** How long a new engine process may take to say it is ready. */
const START_TIMEOUT_MS = 120_000;

export class EngineConnection {
  private channel: EngineChannel | undefined;
  private readonly pending = new PendingRequests();
  private bootCount = 0;
  private restarting: Promise<void> | undefined;
  /** What the last exit was ("engine process 123 killed by SIGKILL"), for late requests. */
  private lastExit: string | undefined;
  /** Resolves when the current process's exit has been handled (restart begun). */
  private exitHandled: Promise<void> = Promise.resolve();
  private isClosed = false;
  /** Why the connection stopped on its own (it gave up restarting a crashing engine). */
  private failure: Error | undefined;
  private restartTimes: number[] = [];
  private readonly crashListeners = new Set<(reason: string) => void>();
  private readonly restartHooks: (() => Promise<void>)[] = [];
  /** How many times the engine process has been restarted after a crash. */
  restarts = 0;

  private constructor(
    private readonly options: EngineStartOptions,
    private readonly startProcess: StartProcess,
  ) {}

  static async start(
    options: EngineStartOptions = {},
    startProcess: StartProcess = startEngineProcess,
  ): Promise<EngineConnection> {
    const connection = new EngineConnection(options, startProcess);
    await connection.boot();
    return connection;
  }

  /** Engine processes started so far: state made in an earlier one is gone from the engine. */
  get boots(): number {
    return this.bootCount;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Called with a reason each time the engine process dies unexpectedly. */
  onCrash(listener: (reason: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /**
   * Runs after each restart, before any waiting request is sent: re-creates state the engine lost
   * (with `send`, not `request`, which would wait for this very restart).
   */
  onRestart(hook: () => Promise<void>): void {
    this.restartHooks.push(hook);
  }

  private boot(): Promise<void> {
    const o = this.options;
    const channel = this.startProcess({
      ...(o.providers ? { providers: o.providers } : {}),
      ...(o.threads ? { threads: o.threads } : {}),
      ...(o.modelCacheDir ? { modelCacheDir: o.modelCacheDir } : {}),
      ...(o.warmUp !== undefined ? { warmUp: o.warmUp } : {}),
      ...(o.idleMs ? { idleMs: o.idleMs } : {}),
    });
    this.channel = channel;
    this.bootCount++;
    let handled!: () => void;
    this.exitHandled = new Promise<void>((r) => (handled = r));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let exited = false;
      const timer = setTimeout(() => {
        if (!ready) {
          channel.kill();
          reject(new Error(`engine process did not start within ${START_TIMEOUT_MS / 1000} s`));
        }
      }, START_TIMEOUT_MS);
      channel.onMessage((msg) => {
        if (!ready) {
          const hello = Hello.safeParse(msg);
          if (!hello.success) return;
          clearTimeout(timer);
          if (hello.data.type === 'startFailed') {
            channel.kill();
            reject(new Error(`engine process failed to start: ${hello.data.message}`));
            return;
          }
          ready = true;
          resolve();
          return;
        }
        this.pending.receive(msg);
      });
      channel.onExit((reason) => {
        if (exited) return;
        exited = true;
        clearTimeout(timer);
        if (!ready) {
          reject(new Error(`engine process ${reason} before it was ready`));
          return;
        }
        if (this.channel === channel) this.onExit(channel, reason);
        handled();
      });
    });
  }

  private onExit(channel: EngineChannel, reason: string): void {
    const what = `engine process ${channel.pid} ${reason}`;
    this.lastExit = what;
    this.pending.failAll(
      (type) =>
        new EngineCrashedError(
          `${what} during ${type}; it is being restarted`,
          `${what} during ${type}`,
        ),
    );
    if (this.isClosed) return;
    for (const l of this.crashListeners) l(what);
    this.restarting = this.restart().finally(() => {
      this.restarting = undefined;
    });
    this.restarting.catch(() => undefined);
  }

  /** Restarts the process, unless it crashed too often lately: then it gives up for good. */
  private async restart(): Promise<void> {
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < 60_000);
    const limit = this.options.maxRestartsPerMinute ?? 3;
    if (this.restartTimes.length >= limit) {
      this.isClosed = true;
      // Not an EngineCrashedError: nothing is being restarted, so retrying cannot help.
      this.failure = new Error(
        `engine process keeps crashing (${limit + 1} times within a minute); gave up restarting it`,
      );
      throw this.failure;
    }
    this.restartTimes.push(now);
    this.restarts++;
    await this.boot();
    for (const hook of this.restartHooks) await hook();
  }

  /** Waits out a crash being handled and the restart that follows. */
  async ready(): Promise<void> {
    // A process that just died may not have reported its exit yet: wait for that, then the restart.
    if (this.channel && !this.channel.connected && !this.isClosed) await this.exitHandled;
    if (this.restarting) await this.restarting;
    if (this.isClosed) throw this.failure ?? new Error('engine client is closed');
  }

  /** `send` once any restart in progress is over. */
  async request(body: RequestBody, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    await this.ready();
    return this.send(body, timeoutMs, signal);
  }

  /**
   * Sends one request now (for callers that waited for `ready` themselves, and restart hooks);
   * see PendingRequests.send for the timeout and the cancel.
   */
  send(body: RequestBody, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('engine process is not running'));
    if (!channel.connected && !this.isClosed)
      // It died a moment ago and its exit is not handled yet (a fast engine makes this likelier):
      // fail this request as part of that crash, with its real reason, once the exit is known.
      return this.exitHandled.then(() => {
        const what = this.lastExit ?? 'engine process is not connected';
        throw new EngineCrashedError(
          `${what} during ${body.type}; it is being restarted`,
          `${what} during ${body.type}`,
        );
      });
    return this.pending.send(channel, body, timeoutMs, signal);
  }

  async close(): Promise<void> {
    if (this.isClosed && !this.channel) return;
    this.isClosed = true;
    const channel = this.channel;
    this.channel = undefined;
    if (!channel) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.kill();
        resolve();
      }, 5_000);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.disconnect();
    });
    // Requests still waiting get no answer from a closed engine: settle them now rather than when
    // their timeouts fire (up to minutes for diffusion), with a message that says why.
    this.pending.failAll((type) => new Error(`engine client closed during ${type}`));
  }
}
