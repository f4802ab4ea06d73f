import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ProjectError, type Project } from '#shared/project/index';
import { diffusionSizeProblem } from '#shared/diffusion/outputSize';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import { PackError } from '#main/engine/diffusion/pack/packError';
import { projectFolder } from '#main/project/projectPaths';
import { packIdentity } from '#main/engine/diffusion/pack/packIdentity';
import { totalmem } from 'node:os';
import { memoryBudgetBytes, type MemoryBudgetSetting } from '#shared/diffusion/memory/memoryBudget';
import { MemoryBudgetError } from '#shared/diffusion/memory/memoryEstimate';
import { memoryReport, type MemoryReport } from '#shared/diffusion/memory/memoryReport';
import { memoryInputs, readPackMemory } from '#main/engine/diffusion/pipeline/packMemory';

type DiffusionParams = Extract<Project['generator'], { id: 'diffusion' }>['params'];

/** What a diffusion render of a project needs besides the character and its poses. */
export interface DiffusionRenderSetup {
  /** Absolute pack folder (its manifest already checked). */
  packDir: string;
  /** Absolute separate ControlNet / replacement UNet folders, when the project names them. */
  controlNetPath?: string;
  unetPath?: string;
  /** Content identity of the pack's files (render cache key: not its path). */
  packId: string;
  /** Where reference banks are cached (`<project>/cache/diffusion-banks`). */
  bankCacheDir: string;
  params: DiffusionParams;
  /** The project's render seed (used unless the generator params set their own). */
  seed: number;
  /** The memory budget for this device in bytes (null: off); the engine splits UNet calls by it. */
  memoryBudgetBytes: number | null;
  /** Peak memory estimated before the render, and the split under the budget (shown to the user). */
  memory: MemoryReport;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/**
 * The folder `generator.params.pack` names: an absolute path, a path relative to the project, or
 * a folder name under one of the model pack folders of the settings (first that exists).
 */
export async function resolvePackDir(
  projectDir: string,
  pack: string,
  packFolders: readonly string[] = [],
): Promise<string> {
  if (isAbsolute(pack)) return resolve(pack);
  const inProject = resolve(projectDir, pack);
  if (await isDir(inProject)) return inProject;
  for (const folder of packFolders) {
    const candidate = resolve(folder, pack);
    if (await isDir(candidate)) return candidate;
  }
  return inProject; // the loader then says it does not exist
}

/**
 * Checks a project's diffusion settings before anything is rendered or written: the pack loads
 * (a `PackError` becomes a ProjectError on `generator.params.pack`) and the output size suits a
 * VAE (multiples of 8). Every strategy goes through the segment scheduler (`fused` one fusion
 * group per worker call).
 */
export async function prepareDiffusionSetup(
  projectDir: string,
  project: Project,
  range: { from: number; to: number },
  packFolders: readonly string[] = [],
  memoryBudget: MemoryBudgetSetting = 'auto',
): Promise<DiffusionRenderSetup | undefined> {
  const g = project.generator;
  if (g.id !== 'diffusion') return undefined;
  const { width, height } = project.output;
  const sizeProblem = diffusionSizeProblem(width, height);
  if (sizeProblem) throw new ProjectError('output', sizeProblem);
  const packDir = await resolvePackDir(projectDir, g.params.pack, packFolders);
  // Separate folders are found like the pack: absolute, relative to the project, or by name.
  const controlNetPath = g.params.controlNetPath
    ? await resolvePackDir(projectDir, g.params.controlNetPath, packFolders)
    : undefined;
  const unetPath = g.params.unetPath
    ? await resolvePackDir(projectDir, g.params.unetPath, packFolders)
    : undefined;
  let packId: string;
  let memory: MemoryReport;
  const budgetBytes = memoryBudgetBytes(memoryBudget, totalmem());
  try {
    // Whether the providers can run it is checked in the engine, which knows them, before any
    // session opens (DiffusionGenerator.open → checkPackRuns).
    const manifest = await loadPackManifest({ packDir, controlNetPath, unetPath });
    packId = await packIdentity(manifest);
    // Estimated here, before any engine starts or file is written, so a render that cannot fit
    // is refused with the fix and one that fits says what it will take.
    const r = project.render;
    memory = memoryReport(
      memoryInputs(await readPackMemory(manifest), {
        width,
        height,
        bankCopies: 1 + (r.strategy === 'chained' ? r.segmentOverlap : 0),
        crossFrame: g.params.crossFrame === 'previous',
      }),
      {
        windowFrames: Math.min(r.segmentLength, range.to - range.from),
        anchor: r.strategy === 'fused',
        guided: g.params.guidance !== 1,
      },
      budgetBytes,
    );
  } catch (e) {
    if (e instanceof MemoryBudgetError) throw new ProjectError('output', e.message);
    if (e instanceof PackError) {
      const [field, name] =
        controlNetPath && e.where.startsWith(controlNetPath)
          ? ['generator.params.controlNetPath', g.params.controlNetPath]
          : unetPath && e.where.startsWith(unetPath)
            ? ['generator.params.unetPath', g.params.unetPath]
            : ['generator.params.pack', g.params.pack];
      throw new ProjectError(field, `model pack "${name}": ${e.message}`);
    }
    throw e;
  }
  return {
    packDir,
    ...(controlNetPath ? { controlNetPath } : {}),
    ...(unetPath ? { unetPath } : {}),
    packId,
    // Its real path, checked: a `cache` or `diffusion-banks` link out of the project is refused
    // here, before the engine writes a bank through it.
    bankCacheDir: await projectFolder(projectDir, 'cache/diffusion-banks'),
    params: g.params,
    seed: g.params.seed ?? project.render.seed,
    memoryBudgetBytes: budgetBytes,
    memory,
  };
}

export interface DiffusionCharacter {
  picturePath: string;
  /** 136 × [x, y, c] in the picture's pixels. */
  referencePose: Float64Array;
}
