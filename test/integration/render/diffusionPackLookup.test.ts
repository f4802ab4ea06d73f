import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { confSettingsBackend } from '#main/services/settings/confBackend';
import { SettingsService } from '#main/services/settings/settingsService';
import { runCliCaptured } from '#test/helpers/cliHarness';
import { copySample } from './helpers';

const { root, project } = copySample('ps-diffusion-pack-lookup-');
const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));
const packFolder = join(root, 'my-packs');
const configHome = join(root, 'config');
const savedXdg = process.env.XDG_CONFIG_HOME;

beforeAll(async () => {
  mkdirSync(packFolder);
  await buildTinyPack(join(packFolder, 'tiny-sd'));
  const file = join(project, 'project.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // The pack by name only: not in the project folder, so only the settings can find it.
  p.generator = {
    id: 'diffusion',
    params: { pack: 'tiny-sd', steps: 2, guidance: 1, prompt: 'a dancer', seed: 3 },
  };
  p.output = { ...(p.output as object), width: 64, height: 64, range: { from: 0, to: 4 } };
  p.render = {
    ...(p.render as object),
    strategy: 'independent',
    segmentLength: 4,
    segmentOverlap: 0,
  };
  writeFileSync(file, JSON.stringify(p, null, 2));
  // The CLI reads the same settings file as serve mode: conf under $XDG_CONFIG_HOME.
  process.env.XDG_CONFIG_HOME = configHome;
}, 60_000);
afterAll(() => {
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(root, { recursive: true, force: true });
});

describe('pose-studio render finds a diffusion pack by name in the settings’ model pack folders', () => {
  it('without the folder in the settings: exit 2 naming the pack; with it: renders', async () => {
    const out = join(root, 'lookup.mp4');
    const missing = await runCliCaptured(['render', project, '-o', out], root);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/generator\.params\.pack.*"tiny-sd".*does not exist/);
    expect(existsSync(out)).toBe(false);

    const settings = new SettingsService(
      confSettingsBackend({ cwd: join(configHome, 'pose-studio-nodejs') }),
    );
    settings.update({ modelPackFolders: [join(root, 'empty-folder'), packFolder] });
    const r = await runCliCaptured(['render', project, '-o', out, '--json'], root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await probeVideo(ffprobe, out)).toMatchObject({ frames: 4, width: 64, height: 64 });
  }, 60_000);
});
