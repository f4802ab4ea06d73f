/**
 * Entry point of the engine child process (started by startEngineProcess.ts). Reads its options
 * from POSE_STUDIO_ENGINE_OPTIONS, says hello, then answers requests over the IPC channel until the
 * parent disconnects. Nothing here may bring the process down on a bad request.
 */
import { EngineHost } from './engineHost';
import { EngineOptions } from './protocol';

async function main(): Promise<void> {
  const send = (msg: unknown) => process.send?.(msg);
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
  process.on('message', (msg) => {
    void host.handle(msg).then(send);
  });
  process.on('disconnect', () => {
    void host.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', info: host.info() });
}

void main();
