import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSchedulerConfig, type SchedulerConfig } from '#shared/diffusion/schedulers/index';
import { modelIndexSchema, type ModelIndex } from './modelIndex';
import { PackError } from './packError';
import { displayPath, modelFileIn, readPackModel, type PackModel } from './packModel';
import { modelRoles, type ModelRole } from './signatures';

export { modelRoles as modelComponents, type ModelRole as ModelComponent };

/**
 * A pack in pieces: the base pack folder and, optionally, a separate ControlNet folder and a
 * replacement UNet folder (project `generator.params.controlNetPath` / `unetPath`, CLI
 * `--controlnet` / `--unet`). A separate folder may hold the model directly (`model.onnx` or one
 * `.onnx`) or a pack-like `controlnet/` / `unet/` subfolder.
 */
export interface PackSources {
  packDir: string;
  controlNetPath?: string | undefined;
  unetPath?: string | undefined;
}

/** What is on disk: every model recognised by structure, and the ones chosen for each role. */
export interface PackManifest {
  root: string;
  /** diffusers' model_index.json when the pack has one (Amuse/OnnxStack packs may not). */
  modelIndex: ModelIndex | null;
  /** The model chosen for each role. */
  components: Partial<Record<ModelRole, PackModel>>;
  /** Every model found, chosen or not (e.g. a plain UNet beside a ControlNet-aware one). */
  models: PackModel[];
  scheduler: SchedulerConfig;
  tokenizer: { vocab: string; merges: string; config?: string };
}

export interface LoadPackOptions {
  /** The pose generator needs the OpenPose ControlNet; plain text-to-image does not. */
  requireControlnet?: boolean;
}

/** Folders of a pack that hold no model (never scanned for .onnx files). */
const NOT_MODELS = new Set(['tokenizer', 'tokenizer_2', 'scheduler', 'feature_extractor']);
/** model_index.json is a few hundred bytes; anything this large is not one. */
const MAX_INDEX_BYTES = 1024 * 1024;

/**
 * Reads and checks a pack: every model folder's graph header (no weights loaded), recognised by
 * structure, plus the separate folders. Every problem is a PackError naming the file and the fix.
 */
export async function loadPackManifest(
  sources: string | PackSources,
  options: LoadPackOptions = {},
): Promise<PackManifest> {
  const src = typeof sources === 'string' ? { packDir: sources } : sources;
  const root = resolve(src.packDir);
  if (!(await isDir(root))) throw new PackError(`pack folder ${root} does not exist`, '.');
  const modelIndex = await readModelIndex(root);

  const models: PackModel[] = [];
  for (const name of (await readdir(root)).sort()) {
    const dir = join(root, name);
    if (NOT_MODELS.has(name) || !(await isDir(dir))) continue;
    const file = await modelFileIn(dir, name);
    if (!file) continue;
    const folder = (modelRoles as readonly string[]).includes(name)
      ? (name as ModelRole)
      : undefined;
    models.push(await readPackModel(file, displayPath(root, file), 'pack', folder));
  }
  const separate = async (path: string | undefined, role: 'controlnet' | 'unet') => {
    if (!path) return null;
    const dir = resolve(path);
    const label = role === 'controlnet' ? 'ControlNet' : 'replacement UNet';
    if (!(await isDir(dir))) throw new PackError(`${label} folder ${dir} does not exist`, dir);
    const file =
      (await modelFileIn(dir, dir)) ?? (await modelFileIn(join(dir, role), `${dir}/${role}`));
    if (!file) throw new PackError(`${label} folder ${dir} holds no .onnx model`, dir);
    const model = await readPackModel(
      file,
      file,
      role === 'controlnet' ? 'controlNetPath' : 'unetPath',
      role,
    );
    if (model.recognised.role !== role)
      throw new PackError(
        `${file} is a ${roleName(model.recognised.role)}, not a ${roleName(role)}: name it as the ${roleName(model.recognised.role)}`,
        file,
      );
    return model;
  };
  const controlnetModel = await separate(src.controlNetPath, 'controlnet');
  const unetModel = await separate(src.unetPath, 'unet');

  const components: PackManifest['components'] = {};
  for (const role of ['text_encoder', 'vae_encoder', 'vae_decoder'] as const) {
    const model = only(models, role);
    if (model) components[role] = model;
  }
  const controlnet = controlnetModel ?? only(models, 'controlnet');
  if (controlnet) components.controlnet = controlnet;
  const unet = unetModel ?? chooseUnet(models, controlnet !== undefined);
  if (unet) components.unet = unet;

  const required: ModelRole[] = ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'];
  if (options.requireControlnet ?? true) required.push('controlnet');
  for (const role of required)
    if (!components[role]) throw new PackError(missingMessage(role, models), role);

  const scheduler = await readJson(root, 'scheduler/scheduler_config.json', (json) =>
    parseSchedulerConfig(json, 'scheduler/scheduler_config.json'),
  );
  const vocab = join(root, 'tokenizer', 'vocab.json');
  const merges = join(root, 'tokenizer', 'merges.txt');
  for (const [file, rel] of [
    [vocab, 'tokenizer/vocab.json'],
    [merges, 'tokenizer/merges.txt'],
  ] as const)
    if (!(await isFile(file)))
      throw new PackError(`${rel} is missing (CLIP tokenizer files are required)`, rel);
  const config = join(root, 'tokenizer', 'tokenizer_config.json');
  return {
    root,
    modelIndex,
    components,
    models: [
      ...models,
      ...(controlnetModel ? [controlnetModel] : []),
      ...(unetModel ? [unetModel] : []),
    ],
    scheduler,
    tokenizer: { vocab, merges, ...((await isFile(config)) ? { config } : {}) },
  };
}

export function roleName(role: ModelRole): string {
  return {
    text_encoder: 'text encoder',
    unet: 'UNet',
    vae_encoder: 'VAE encoder',
    vae_decoder: 'VAE decoder',
    controlnet: 'ControlNet',
  }[role];
}

/** The one model of a role in the pack; two are refused (which to use cannot be guessed). */
function only(models: readonly PackModel[], role: ModelRole): PackModel | undefined {
  const found = models.filter((m) => m.recognised.role === role);
  if (found.length > 1)
    throw new PackError(
      `the pack has ${found.length} ${roleName(role)}s (${found.map((m) => m.rel).join(', ')}): keep one`,
      found[1]!.rel,
    );
  return found[0];
}

/**
 * The UNet to denoise with. With a ControlNet, the ControlNet-aware one (OnnxStack keeps it in
 * `controlnet/` beside a plain `unet/`); without, the plain one. Two of a kind are refused.
 */
function chooseUnet(models: readonly PackModel[], withControlnet: boolean): PackModel | undefined {
  const unets = models.filter((m) => m.recognised.role === 'unet');
  const aware = unets.filter(
    (m) => m.recognised.role === 'unet' && m.recognised.signature.residuals,
  );
  const plain = unets.filter((m) => !aware.includes(m));
  const preferred = withControlnet ? [aware, plain] : [plain, aware];
  for (const group of preferred) {
    if (group.length > 1)
      throw new PackError(
        `the pack has two UNets of the same kind (${group.map((m) => m.rel).join(', ')}): keep one, or name the one to use as the replacement UNet (--unet)`,
        group[1]!.rel,
      );
    if (group.length === 1) return group[0];
  }
  return undefined;
}

function missingMessage(role: ModelRole, models: readonly PackModel[]): string {
  const componentsOnly =
    models.length > 0 &&
    models.every((m) => m.recognised.role === 'unet' || m.recognised.role === 'controlnet');
  if (componentsOnly && role !== 'unet' && role !== 'controlnet')
    return `this folder holds only components (${models.map((m) => m.rel).join(', ')}) and no text encoder or VAE: use it with a base pack — name it as the ControlNet / replacement UNet folder (--controlnet / --unet, "controlNetPath" / "unetPath"), or copy its folders into the base pack`;
  const found =
    models.map((m) => `${m.rel} (${roleName(m.recognised.role)})`).join(', ') || 'no models';
  if (role === 'controlnet')
    return `no ControlNet: add an OpenPose ControlNet exported to ONNX as controlnet/model.onnx, or name its folder (--controlnet, "controlNetPath") — found ${found}`;
  return `no ${roleName(role)} in the pack (found ${found}): ${
    role === 'unet'
      ? 'add unet/model.onnx or name a UNet folder (--unet, "unetPath")'
      : `add ${role}/model.onnx from the same base model`
  }`;
}

async function readModelIndex(root: string): Promise<ModelIndex | null> {
  const path = join(root, 'model_index.json');
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  if (!info.isFile() || info.size > MAX_INDEX_BYTES)
    throw new PackError(
      `model_index.json is ${info.isFile() ? `${info.size} bytes` : 'not a file'}; a diffusers index is a small JSON object — replace it with the one from the download`,
      'model_index.json',
    );
  return readJson(root, 'model_index.json', (json) => {
    const r = modelIndexSchema.safeParse(json);
    if (!r.success)
      throw new Error(
        `not a diffusers index: ${r.error.issues[0]?.message ?? 'wrong shape'} at ${r.error.issues[0]?.path.join('.') || 'top level'}`,
      );
    return r.data;
  });
}

async function readJson<T>(root: string, rel: string, parse: (json: unknown) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(join(root, rel), 'utf8');
  } catch {
    throw new PackError(`${rel} is missing`, rel);
  }
  try {
    return parse(JSON.parse(text));
  } catch (cause) {
    if (cause instanceof PackError) throw cause;
    const msg = (cause as Error).message;
    throw new PackError(msg.startsWith(rel) ? msg : `${rel}: ${msg}`, rel);
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
