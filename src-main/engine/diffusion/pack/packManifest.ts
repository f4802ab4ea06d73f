import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSchedulerConfig, type SchedulerConfig } from '#shared/diffusion/schedulers/index';
import { checkExternalData } from './externalData';
import { declaredComponents, modelIndexSchema, type ModelIndex } from './modelIndex';
import { PackError } from './packError';

/** The ONNX components of a Stable-Diffusion pack, by their diffusers folder names. */
export const modelComponents = [
  'text_encoder',
  'unet',
  'vae_encoder',
  'vae_decoder',
  'controlnet',
] as const;
export type ModelComponent = (typeof modelComponents)[number];

export interface ComponentFiles {
  dir: string;
  model: string;
  /** External weight files next to model.onnx (empty when weights are inline). */
  externalData: string[];
}

/** What is on disk: checked paths and parsed metadata. Sessions are opened later (openPack). */
export interface PackManifest {
  root: string;
  modelIndex: ModelIndex;
  components: Partial<Record<ModelComponent, ComponentFiles>>;
  scheduler: SchedulerConfig;
  tokenizer: { vocab: string; merges: string; config?: string };
}

export interface LoadPackOptions {
  /** The pose generator needs the OpenPose ControlNet; plain text-to-image does not. */
  requireControlnet?: boolean;
}

/**
 * Reads and checks a diffusers/optimum-layout ONNX pack folder. Every problem is a PackError
 * naming the folder or file, and what to do about it.
 */
export async function loadPackManifest(
  packDir: string,
  options: LoadPackOptions = {},
): Promise<PackManifest> {
  const root = resolve(packDir);
  if (!(await isDir(root))) throw new PackError(`pack folder ${root} does not exist`, '.');
  const modelIndex = await readJson(root, 'model_index.json', (json) => {
    const r = modelIndexSchema.safeParse(json);
    if (!r.success) throw new Error('expected an object with _class_name');
    return r.data;
  });

  const required: ModelComponent[] = ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'];
  if (options.requireControlnet ?? true) required.push('controlnet');
  const components: PackManifest['components'] = {};
  for (const name of modelComponents) {
    const dir = join(root, name);
    if (!(await isDir(dir))) {
      if (required.includes(name))
        throw new PackError(
          name === 'controlnet'
            ? 'controlnet/ is missing: add an OpenPose ControlNet exported to ONNX (controlnet/model.onnx) to the pack'
            : `${name}/ is missing: this is not a complete diffusers ONNX pack`,
          name,
        );
      continue;
    }
    if (!(await isFile(join(dir, 'model.onnx'))))
      throw new PackError(`${name}/model.onnx is missing`, `${name}/model.onnx`);
    components[name] = {
      dir,
      model: join(dir, 'model.onnx'),
      externalData: await checkExternalData(name, dir),
    };
  }
  const undeclared = required.filter(
    (c) => c !== 'controlnet' && !declaredComponents(modelIndex).includes(c),
  );
  if (undeclared.length > 0)
    throw new PackError(
      `model_index.json does not declare ${undeclared.join(', ')}`,
      'model_index.json',
    );

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
    scheduler,
    tokenizer: { vocab, merges, ...((await isFile(config)) ? { config } : {}) },
  };
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
