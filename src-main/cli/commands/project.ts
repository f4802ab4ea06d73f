import { rm, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import {
  PROJECT_VERSION,
  ProjectError,
  createDefaultProject,
  describeProject,
  newId,
} from '#shared/project/index';
import { AssetImportError, importAsset } from '#main/project/importAsset';
import { createProject, loadProject } from '#main/project/projectStore';
import { PoseFileError, readPictureSize, readReferencePose } from '#main/project/referencePose';
import { flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import { outputSizeForPicture } from '#shared/render/outputSize';

const usage = `usage: pose-studio project validate <dir>
       pose-studio project create <dir> [--name NAME] [--picture FILE [--pose FILE] [--character NAME]]

validate  Loads <dir>/project.json (migrating older format versions in memory, never writing),
          checks every field and the files it refers to, and prints a summary. Exit 0 when the
          project is valid (missing pictures are listed as warnings), 2 with the field at fault.
create    Makes a new project folder (project.json, assets/, cache/, renders/) with the defaults:
          puppet generator, 512×512, 24 fps, frames [0, 120), MP4.
  --name NAME        project name (default "Untitled")
  --picture FILE     copy this picture into assets/ and add it as a character
  --pose FILE        the picture's pose: any pose file \`poses inspect\` reads (ControlNet/OpenPose,
                     ComfyUI, DWPose, MediaPipe, COCO); its first person. Without it the
                     character starts with no points, to be placed in the editor.
  --character NAME   character name (default: the picture's file name)`;

export const command: CliCommand = {
  name: 'project',
  summary: 'create and validate project folders',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'validate') return await validate(rest, io);
      if (sub === 'create') return await create(rest, io);
    } catch (e) {
      if (e instanceof ProjectError || e instanceof PoseFileError || e instanceof AssetImportError)
        throw new CliError(e.message);
      throw e;
    }
    throw new CliError(
      sub
        ? `unknown project command "${sub}" (validate, create)`
        : 'project needs a command: validate or create',
    );
  },
};

async function validate(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  const dir = oneDir(args.positional, 'validate');
  const loaded = await loadProject(resolve(io.cwd, dir));
  const p = loaded.project;
  io.out(`ok: "${p.name}" in ${loaded.dir} (project format ${PROJECT_VERSION})`);
  if (loaded.migratedFrom !== undefined)
    io.out(
      `note: the file is in format ${loaded.migratedFrom}; it is migrated in memory and saved as format ${PROJECT_VERSION} on the next save`,
    );
  for (const line of describeProject(p)) io.out(line);
  for (const w of loaded.warnings) io.out(`warning: ${w.field}: ${w.message}`);
  return 0;
}

async function create(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['name', 'picture', 'pose', 'character'] });
  const dir = resolve(io.cwd, oneDir(args.positional, 'create'));
  const name = flagString(args, 'name');
  const picturePath = flagString(args, 'picture');
  const posePath = flagString(args, 'pose');
  const characterName = flagString(args, 'character');
  if (name !== undefined && name.trim() === '') throw new CliError('--name must not be empty');
  if (!picturePath && (posePath || characterName))
    throw new CliError(
      `--${posePath ? 'pose' : 'character'} needs --picture (the picture the character is made from)`,
    );

  if (await exists(join(dir, 'project.json')))
    throw new CliError(`${dir} already holds a project (project.json); choose another folder`);

  // Read every input before creating anything, so bad input leaves no folder behind.
  let character:
    | {
        picture: string;
        points: number[];
        warnings: string[];
        size: { width: number; height: number };
      }
    | undefined;
  if (picturePath) {
    const picture = resolve(io.cwd, picturePath);
    const size = await readPictureSize(picture);
    const pose = posePath
      ? await readReferencePose(resolve(io.cwd, posePath), size)
      : {
          points: new Array<number>(408).fill(0),
          warnings: ['no --pose: the character has no points yet'],
        };
    character = { picture, size, ...pose };
  }

  const existed = await exists(dir);
  if (!character) {
    const created = await createProject(dir, name ? { name } : {});
    io.out(`created "${created.project.name}" in ${dir} (project format ${PROJECT_VERSION})`);
    return 0;
  }
  try {
    const asset = await importAsset(dir, character.picture);
    const base = createDefaultProject(name);
    const id = newId('char');
    const { project } = await createProject(dir, {
      project: {
        ...base,
        characters: [
          {
            id,
            name:
              characterName ??
              (basename(character.picture, extname(character.picture)) || 'Character'),
            picture: asset,
            referencePose: character.points,
            referenceFrames: [],
          },
        ],
        // Output at the picture's own size and aspect (no letterbox, no upscale).
        output: { ...base.output, ...outputSizeForPicture(character.size, base.output.format) },
        render: { ...base.render, characterId: id },
      },
    });
    const present = character.points.filter((c, i) => i % 3 === 2 && c > 0).length;
    io.out(`created "${project.name}" in ${dir} (project format ${PROJECT_VERSION})`);
    io.out(
      `character: ${project.characters[0]!.name} (${asset}, ${character.size.width}×${character.size.height}, ${present} of 136 points)`,
    );
    io.out(`output: ${project.output.width}×${project.output.height} ${project.output.format}`);
    for (const w of character.warnings) io.out(`warning: ${w}`);
    return 0;
  } catch (e) {
    // Leave no half-made project: remove the folder if this command created it.
    if (!existed) await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function oneDir(positional: string[], sub: string): string {
  if (positional.length === 0) throw new CliError(`project ${sub} needs a project folder`);
  if (positional.length > 1) throw new CliError(`unexpected argument "${positional[1]}"`);
  return positional[0]!;
}
