/**
 * Entry point of the engine child process (started by startEngineProcess.ts). Reads its options
 * from POSE_STUDIO_ENGINE_OPTIONS, says hello, then answers requests over the IPC channel until the
 * parent disconnects. Nothing here may bring the process down on a bad request.
 */
import { BULK_FD_ENV, bulkSender } from './bulk/bulkSender';
import { EngineHost } from './engineHost';
import { EngineOptions } from './protocol';

const noop = () => undefined;

async function main(): Promise<void> {
  // Large arrays (frames, planes) go beside the message on the bulk pipe (bulk/bulkMessages.ts).
  const fd = process.env[BULK_FD_ENV];
  const sendMessage = bulkSender(
    (msg, done) => process.send?.(msg, undefined, {}, done),
    fd ? Number(fd) : undefined,
  );
  const send = (msg: unknown) => sendMessage(msg, noop);
  let host: EngineHost;
  try {
    const options = EngineOptions.parse(JSON.parse(process.env.POSE_STUDIO_ENGINE_OPTIONS ?? '{}'));
    host = new EngineHost(options, send);
    await host.warmUp();
  } catch (e) {
    send({ type: 'startFailed', message: e instanceof Error ? e.message : String(e) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  // An answer that cannot be sent (not cloneable, channel closing) must not become an unhandled
  // rejection: that would kill the engine and every render using it. The client is told instead.
  const answer = (response: Awaited<ReturnType<EngineHost['handle']>>) => {
    try {
      sendMessage(response, noop);
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
      try {
        process.send?.(
          {
            id: response.id,
            ok: false,
            error: { message: `engine could not send its answer: ${why}`, kind: 'internal' },
          },
          undefined,
          {},
          () => undefined,
        );
      } catch {
        // the channel is gone: the process is exiting anyway
      }
    }
  };
  process.on('message', (msg) => {
    void host.handle(msg).then(answer);
  });
  // A stray rejection in a library is logged, not fatal: requests are answered by handle(), so
  // a dead engine here would only turn one bad value into a crash of every segment in flight.
  process.on('unhandledRejection', (e) => {
    const why = e instanceof Error ? e.message : String(e);
    process.stderr.write(`pose-studio engine: ignored an unhandled rejection: ${why}\n`);
  });
  process.on('disconnect', () => {
    void host.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', info: host.info() });
}

void main();
