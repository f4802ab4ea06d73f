import { flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand } from '#main/cli/command';
import { farmPort } from '#main/farm/farmPort';

const usage = `usage: pose-studio serve [--port N] [--host ADDR] [--token T] [--project DIR] [--rebuild | --no-build] [--settings-dir DIR]

Runs the studio in a browser: the same services and API as the desktop app, over HTTP and a
WebSocket on one port.

  --port N          port (default 5170; 0 picks a free one)
  --host ADDR       interface to bind (default 127.0.0.1). Any non-loopback address requires a
                    token: the one given with --token, or a random one printed in the URL.
  --token T         require this token (?token=T) even on loopback
  --project DIR     open this project at start
  --rebuild         rebuild the UI bundle (out/renderer) even if it looks up to date
  --no-build        never build; fail if out/renderer is missing
  --settings-dir D  keep settings in D instead of the user's config folder

The UI bundle is built with Vite into out/renderer when missing or older than its sources.`;

export const command: CliCommand = {
  name: 'serve',
  summary: 'run the studio UI in a browser (HTTP + WebSocket on 127.0.0.1)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['port', 'host', 'token', 'project', 'settings-dir'],
      booleans: ['rebuild', 'no-build'],
    });
    if (args.positional.length > 0)
      throw new CliError(`unexpected argument "${args.positional[0]}"`);
    const port = flagInt(args, 'port') ?? 5170;
    if (port < 0 || port > 65535) throw new CliError(`--port must be 0–65535, got ${port}`);
    const host = flagString(args, 'host') ?? '127.0.0.1';
    const token = flagString(args, 'token');
    if (token !== undefined && token.length < 8)
      throw new CliError('--token must be at least 8 characters');
    if (args.flags.has('rebuild') && args.flags.has('no-build'))
      throw new CliError('--rebuild and --no-build exclude each other');

    const { ensureRendererBuilt, rendererBuildIsStale, rendererOutDir, repoRoot } =
      await import('#main/host/rendererBuild');
    if (args.flags.has('no-build')) {
      if (rendererBuildIsStale())
        io.err('pose-studio: warning: out/renderer is missing or older than its sources');
    } else {
      const t0 = Date.now();
      if (await ensureRendererBuilt(args.flags.has('rebuild')))
        io.err(`built the UI in ${Date.now() - t0} ms`);
    }

    const { startHost } = await import('#main/host/hostServer');
    const settingsDir = flagString(args, 'settings-dir');
    const project = flagString(args, 'project');
    // The host listens first and the services load behind it (calls wait for them), so the
    // browser fetches the UI while the project store and scheduler modules load.
    const serviceReady = (async () => {
      const [{ createApiService }, { confSettingsBackend }] = await Promise.all([
        import('#main/services/api/wiring'),
        import('#main/services/settings/confBackend'),
      ]);
      const service = await createApiService({
        mode: 'browser',
        farm: farmPort(),
        appRoot: repoRoot,
        settingsBackend: confSettingsBackend(settingsDir ? { cwd: settingsDir } : {}),
        // The browser cannot open folders on this machine; the UI shows the path instead.
        shell: { openFolder: async () => false },
      });
      if (project) {
        try {
          await service.call('projects.open', { folder: project });
        } catch (e) {
          await service.close();
          throw new CliError(
            `cannot open project ${project}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      return service;
    })();
    serviceReady.catch(() => undefined);

    let running;
    try {
      running = await startHost({
        service: serviceReady,
        rendererDir: rendererOutDir,
        host,
        port,
        ...(token ? { token } : {}),
      });
    } catch (e) {
      await serviceReady.then((s) => s.close()).catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new CliError(`port ${port} is in use; pick another with --port`);
      if (code === 'EADDRNOTAVAIL') throw new CliError(`${host} is not an address of this machine`);
      throw e;
    }
    let service;
    try {
      if (project) service = await serviceReady; // a bad --project fails before the URL is shown
    } catch (e) {
      await running.close();
      throw e;
    }
    if (running.token && !token)
      io.out('The token in the URL is required: this address is reachable from other machines.');
    io.out(`Pose Studio is running at ${running.url}`);
    service ??= await serviceReady.catch(async (e: unknown) => {
      await running.close();
      throw e;
    });

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    await service.close();
    return 0;
  },
};
