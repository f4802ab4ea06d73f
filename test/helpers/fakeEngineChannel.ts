/**
 * An engine process stand-in for the engine client's unit tests: records what the client sends
 * (structured-cloned, as the real IPC channel does, so a function in a message throws), says
 * `ready` on start, and lets the test answer, send progress, crash or hang it.
 */
import type { EngineChannel } from '#main/engine/startEngineProcess';

export class FakeEngineChannel implements EngineChannel {
  connected = true;
  readonly sent: Record<string, unknown>[] = [];
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly exitListeners: ((reason: string) => void)[] = [];

  constructor(readonly pid: number) {}

  send(message: unknown): boolean {
    if (!this.connected) return false;
    this.sent.push(structuredClone(message) as Record<string, unknown>);
    return true;
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (reason: string) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {
    this.exit('killed by SIGKILL');
  }
  disconnect(): void {
    this.exit('exited with code 0');
  }

  /** A message from the engine. */
  emit(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  /** The process dies; its exit is reported a moment later, as a real one's is. */
  exit(reason: string): void {
    if (!this.connected) return;
    this.connected = false;
    setImmediate(() => {
      for (const l of this.exitListeners) l(reason);
    });
  }
  /** The requests sent so far of one type (ids included). */
  requests(type: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.type === type);
  }
  answer(id: unknown, result: unknown): void {
    this.emit({ id, ok: true, result });
  }
}

/** A process maker for EngineConnection.start: every process it makes says `ready` at once. */
export function fakeEngineProcesses(): {
  processes: FakeEngineChannel[];
  start: () => FakeEngineChannel;
} {
  const processes: FakeEngineChannel[] = [];
  return {
    processes,
    start: () => {
      const channel = new FakeEngineChannel(1000 + processes.length);
      processes.push(channel);
      setImmediate(() =>
        channel.emit({
          type: 'ready',
          info: {
            pid: channel.pid,
            providers: ['cpu'],
            available: ['cpu'],
            device: 'cpu',
            threads: 1,
          },
        }),
      );
      return channel;
    },
  };
}

/** Waits until `check` holds (messages and exits travel through setImmediate). */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}
