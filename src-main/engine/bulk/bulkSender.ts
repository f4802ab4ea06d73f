/**
 * The engine's side of bulk bytes (bulkMessages.ts): a message goes through the IPC channel with
 * placeholders, then its large arrays' bytes follow on the bulk pipe. Without a bulk pipe (an engine started
 * some other way) messages go whole through IPC, as before.
 */
import { Socket } from 'node:net';
import { splitBulk } from './bulkMessages';

/** The environment variable naming the bulk pipe's file descriptor in the engine process. */
export const BULK_FD_ENV = 'POSE_STUDIO_ENGINE_BULK_FD';

export type SendMessage = (message: unknown, done: (error: Error | null) => void) => void;

/**
 * A sender over `send` (process.send). The arrays are written without a copy: every message the
 * engine sends is built for that message (a frame's pixels, a setup's packed planes), and nothing
 * changes them afterwards.
 */
export function bulkSender(send: SendMessage, fd: number | undefined): SendMessage {
  if (fd === undefined || !Number.isInteger(fd) || fd < 3) return send;
  let pipe: Socket | undefined;
  try {
    pipe = new Socket({ fd, readable: false, writable: true });
  } catch {
    // A platform where the inherited descriptor cannot be opened as a stream: IPC still works.
    return send;
  }
  // The parent gone: IPC reports it (the engine exits on disconnect); nothing more to write.
  pipe.on('error', () => {
    pipe = undefined;
  });
  return (message, done) => {
    if (!pipe) {
      send(message, done);
      return;
    }
    const { message: rest, bytes } = splitBulk(message);
    // The message first: if it cannot be sent (it throws), no bytes are written that no message
    // claims, which would shift every later array's bytes. The receiver waits for the bytes.
    send(rest, done);
    for (const b of bytes) pipe.write(b);
  };
}
