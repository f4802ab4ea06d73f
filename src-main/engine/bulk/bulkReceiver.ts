/**
 * The parent's side of bulk bytes (bulkMessages.ts): messages from the IPC channel and bytes from
 * the bulk pipe arrive independently; a message is delivered once all of its arrays' bytes are
 * in, and messages are delivered in the order they came (a message without arrays waits behind
 * one still receiving). Bytes are kept as the chunks the pipe gave until an array is complete,
 * then copied once into that array's own buffer.
 */
import {
  type BulkPlaceholder,
  BulkProtocolError,
  bulkPlaceholders,
  restoreBulk,
} from './bulkMessages';

interface Waiting {
  message: unknown;
  wants: BulkPlaceholder[];
  buffers: ArrayBuffer[];
}

export class BulkReceiver {
  private readonly queue: Waiting[] = [];
  private chunks: Uint8Array[] = [];
  private available = 0;
  private failed = false;

  /**
   * `deliver` gets each whole message; `fail` is called once, on a message or bytes that break
   * the protocol (the engine is then not to be trusted: the caller ends it).
   */
  constructor(
    private readonly deliver: (message: unknown) => void,
    private readonly fail: (why: string) => void,
  ) {}

  /** Bytes still held: received but not yet claimed by a message (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.available;
  }

  message(message: unknown): void {
    if (this.failed) return;
    let wants: BulkPlaceholder[];
    try {
      wants = bulkPlaceholders(message);
    } catch (e) {
      this.broken(e instanceof BulkProtocolError ? e.message : String(e));
      return;
    }
    this.queue.push({ message, wants, buffers: [] });
    this.pump();
  }

  bytes(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
    this.pump();
  }

  private broken(why: string): void {
    this.failed = true;
    this.queue.length = 0;
    this.chunks = [];
    this.available = 0;
    this.fail(`the engine broke the bulk-bytes protocol: ${why}`);
  }

  /** Completes what the held bytes allow, and delivers finished messages in order. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      while (head.buffers.length < head.wants.length) {
        const want = head.wants[head.buffers.length]!.byteLength;
        if (this.available < want) return;
        head.buffers.push(this.take(want));
      }
      this.queue.shift();
      this.deliver(head.wants.length > 0 ? restoreBulk(head.message, head.buffers) : head.message);
      if (this.failed) return;
    }
  }

  /** The next `n` held bytes, copied into a buffer of their own. */
  private take(n: number): ArrayBuffer {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, n - filled);
      out.set(part === chunk.length ? chunk : chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    this.available -= n;
    return out.buffer;
  }
}
