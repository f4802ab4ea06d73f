/**
 * `pose-studio import-character <folder> -o <project>`: an AnimatedDrawings character folder
 * (char_cfg.yaml + texture.png + mask.png) becomes a new project whose character is the texture,
 * its mask and the rig's pose on COCO-18. Non-human rigs import what maps and say what does not.
 */
import { rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PROJECT_VERSION, ProjectError, createDefaultProject, newId } from '#shared/project/index';
import { AssetImportError, importAsset } from '#main/project/importAsset';
import { createProject } from '#main/project/projectStore';
import { PoseFileError } from '#main/project/referencePose';
import { readAnimatedDrawingsCharacter } from '#main/project/animatedDrawingsCharacter';
import { flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio import-character <folder> -o <project> [--name NAME] [--character NAME]

  Imports a character rigged for Meta's AnimatedDrawings (a folder with char_cfg.yaml, texture.png
  and mask.png) into a new project folder: the texture is the picture, mask.png the character's
  mask, and the rig's joints its reference pose on COCO-18 (the rig's "neck" is the nose, its
  "torso" the neck, hands are wrists, feet ankles). Rigs with more arms or legs than a person
  (six arms, four legs) keep one pair (the plain, front or first-numbered one); every joint left
  out is listed as a warning.
  -o          the new project folder (must not hold a project yet)
  --name      project name (default "Untitled")
  --character character name (default: the folder's name)`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    values: ['output', 'name', 'character'],
    aliases: { o: 'output' },
  });
  if (args.positional.length !== 1)
    throw new CliError('expected one character folder (see pose-studio import-character --help)');
  const out = flagString(args, 'output');
  if (!out) throw new CliError('-o <project folder> is required');
  const folder = resolve(io.cwd, args.positional[0]!);
  const dir = resolve(io.cwd, out);
  try {
    if (await stat(join(dir, 'project.json')).catch(() => null))
      throw new CliError(`${dir} already holds a project (project.json); choose another folder`);
    // Read and check everything before creating anything: bad input leaves no folder behind.
    const character = await readAnimatedDrawingsCharacter(folder);
    const existed = Boolean(await stat(dir).catch(() => null));
    try {
      const picture = await importAsset(dir, character.picturePath);
      const mask = await importAsset(dir, character.maskPath);
      const base = createDefaultProject(flagString(args, 'name'));
      const id = newId('char');
      const { project } = await createProject(dir, {
        project: {
          ...base,
          characters: [
            {
              id,
              name: flagString(args, 'character') ?? (basename(folder) || 'Character'),
              picture,
              mask,
              referencePose: Array.from(character.pose.people[0]!.points),
              referenceFrames: [],
            },
          ],
          render: { ...base.render, characterId: id },
        },
      });
      const points = character.pose.people[0]!.points;
      let present = 0;
      for (let i = 2; i < points.length; i += 3) if (points[i]! > 0) present++;
      io.out(`created "${project.name}" in ${dir} (project format ${PROJECT_VERSION})`);
      io.out(
        `character: ${project.characters[0]!.name} (${picture} with ${mask}, ${character.pose.width}×${character.pose.height}, ${present} of 18 body joints)`,
      );
      for (const w of character.warnings) io.out(`warning (${w.code}): ${w.message}`);
      return 0;
    } catch (e) {
      if (!existed) await rm(dir, { recursive: true, force: true });
      throw e;
    }
  } catch (e) {
    if (e instanceof PoseFileError || e instanceof ProjectError || e instanceof AssetImportError)
      throw new CliError(e.message);
    throw e;
  }
}

export const command: CliCommand = {
  name: 'import-character',
  summary: 'make a project from an AnimatedDrawings character (char_cfg.yaml, texture, mask)',
  usage,
  run,
};
