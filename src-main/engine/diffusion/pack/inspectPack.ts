import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isLfsPointer } from './onnxHeader';
import { checkPackRuns } from './packFitness';
import { precisionOf, type Precision } from './precision';
import { PackError } from './packError';
import { loadPackManifest, roleName, type PackManifest, type PackSources } from './packManifest';
import { displayPath, modelFileIn, readPackModel, type PackModel } from './packModel';
import {
  EXECUTION_PROVIDERS,
  fusedForms,
  providersFor,
  type ExecutionProvider,
} from './providerSupport';
import type { ModelRole } from './signatures';
import { providerProblems } from './packFitness';
import { rewriteForProvider } from './providerRewrite';

/** What `pose-studio pack inspect` reports about one model file. */
export interface ModelReport {
  file: string;
  origin: PackModel['origin'];
  role: ModelRole;
  /** UNet: takes ControlNet residuals (and how many). */
  controlnetResiduals: number | null;
  /** Residual tensor naming (`down_block_<i>_additional_residual` …), UNet inputs / ControlNet outputs. */
  residualNaming: string | null;
  /** ControlNet: has a conditioning_scale input (else the app scales the residuals). */
  conditioningScaleInput: boolean | null;
  producer: string;
  opsets: Record<string, number>;
  nodes: number;
  precision: Precision;
  /** Fused (com.microsoft) op forms and their counts. */
  fused: Record<string, number>;
  externalData: { file: string; bytes: number }[];
  providers: Record<ExecutionProvider, boolean | null>;
  notes: string[];
}

export interface PackReport {
  root: string;
  layouts: string[];
  models: ModelReport[];
  /** The model used for each role, when the pack (with its separate folders) is complete enough. */
  chosen: Partial<Record<ModelRole, string>>;
  /** Which providers can run the chosen set (null: an op this table does not know). */
  providers: Record<ExecutionProvider, boolean | null> | null;
  lfsPointers: string[];
  problems: { where: string; message: string }[];
  /** A pose render can start on CPU (models fused for a GPU are rewritten at load: `rewrites`). */
  rendersOnCpu: boolean;
  /** Models the CPU provider cannot run as they are, rewritten to standard ops when opened. */
  rewrites: string[];
}

const SKIP = new Set(['tokenizer', 'tokenizer_2', 'scheduler', 'feature_extractor']);

/**
 * Inspects a pack without loading weights: every model's role, layout, opsets, fused ops,
 * precision, providers, external data, LFS pointers, and every problem with its fix. Problems
 * are collected, not thrown, so a broken pack is still described.
 */
export async function inspectPack(sources: PackSources): Promise<PackReport> {
  const root = resolve(sources.packDir);
  const problems: PackReport['problems'] = [];
  const note = (e: unknown, where: string) => {
    if (e instanceof PackError) problems.push({ where: e.where, message: e.message });
    else problems.push({ where, message: (e as Error).message });
  };
  const models: PackModel[] = [];
  const lfsPointers: string[] = [];
  const rootInfo = await stat(root).catch(() => null);
  if (!rootInfo?.isDirectory()) {
    problems.push({ where: '.', message: `pack folder ${root} does not exist` });
    return {
      root,
      layouts: [],
      models: [],
      chosen: {},
      providers: null,
      lfsPointers,
      problems,
      rendersOnCpu: false,
      rewrites: [],
    };
  }
  const folders = [
    ...(await subfolders(root)).map((dir) => ({ dir, origin: 'pack' as const })),
    ...(sources.controlNetPath
      ? [{ dir: resolve(sources.controlNetPath), origin: 'controlNetPath' as const }]
      : []),
    ...(sources.unetPath ? [{ dir: resolve(sources.unetPath), origin: 'unetPath' as const }] : []),
  ];
  for (const { dir, origin } of folders) {
    for (const file of await readdir(dir).catch(() => [] as string[]))
      if (await isLfsPointer(join(dir, file)).catch(() => false))
        lfsPointers.push(displayPath(root, join(dir, file)));
    try {
      const inner =
        origin === 'controlNetPath' ? 'controlnet' : origin === 'unetPath' ? 'unet' : null;
      const file =
        (await modelFileIn(dir, displayPath(root, dir))) ??
        (inner ? await modelFileIn(join(dir, inner), join(dir, inner)) : null);
      if (!file) {
        if (origin !== 'pack')
          problems.push({ where: dir, message: `${dir} holds no .onnx model` });
        continue;
      }
      const folder = dir.split('/').pop() as ModelRole;
      models.push(
        await readPackModel(
          file,
          origin === 'pack' ? displayPath(root, file) : file,
          origin,
          folder,
        ),
      );
    } catch (e) {
      note(e, displayPath(root, dir));
    }
  }

  let manifest: PackManifest | null = null;
  let rendersOnCpu = false;
  try {
    manifest = await loadPackManifest(sources);
    checkPackRuns(manifest, ['cpu']);
    rendersOnCpu = true;
  } catch (e) {
    if (!problems.some((p) => p.message === (e as Error).message)) note(e, '.');
    manifest ??= await loadPackManifest(sources, { requireControlnet: false }).catch(() => null);
  }
  const chosenModels = manifest ? Object.entries(manifest.components) : [];
  const chosen = Object.fromEntries(chosenModels.map(([role, m]) => [role, m!.rel]));
  const chosenForms = new Set(
    chosenModels.flatMap(([, m]) => [...fusedForms(m!.header.nodes).keys()]),
  );
  const rewrites = chosenModels.flatMap(([, m]) => {
    const issues = providerProblems(m!, ['cpu']);
    const rewrite = issues.length ? rewriteForProvider(m!, ['cpu'], issues) : null;
    return rewrite ? [rewrite.description] : [];
  });
  return {
    root,
    rewrites,
    layouts: layoutsOf(models, manifest),
    models: models.map(report),
    chosen,
    providers: manifest ? providersFor(chosenForms) : null,
    lfsPointers,
    problems,
    rendersOnCpu,
  };
}

async function subfolders(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    if (SKIP.has(name)) continue;
    const info = await stat(join(root, name)).catch(() => null);
    if (info?.isDirectory()) out.push(join(root, name));
  }
  return out;
}

function report(m: PackModel): ModelReport {
  const r = m.recognised;
  const residuals =
    r.role === 'unet'
      ? r.signature.residuals
      : r.role === 'controlnet'
        ? r.signature.residuals
        : null;
  const notes: string[] = [];
  if (m.header.nodes.some((n) => n.opType === 'RandomNormalLike'))
    notes.push(
      'samples the latent distribution (RandomNormalLike): Pose Studio replaces the noise by zeros at load, so the reference latent is the mean (deterministic)',
    );
  if (r.role === 'vae_encoder' && r.signature.parameters)
    notes.push('outputs mean and log-variance (latent_parameters): the app uses the mean');
  // Fused ops decide per provider; a float16 body also rules out CPU (and CoreML, whose
  // unsupported nodes run on the CPU provider).
  const byOps = providersFor(fusedForms(m.header.nodes).keys());
  const half = precisionOf(m.header) !== 'float32';
  const providers = Object.fromEntries(
    EXECUTION_PROVIDERS.map((p) => [p, half && (p === 'cpu' || p === 'coreml') ? false : byOps[p]]),
  ) as Record<ExecutionProvider, boolean | null>;
  return {
    file: m.rel,
    origin: m.origin,
    role: r.role,
    controlnetResiduals:
      r.role === 'unet' ? (residuals?.down.length ?? 0) + (residuals ? 1 : 0) : null,
    residualNaming: residuals ? namingOf(residuals.down) : null,
    conditioningScaleInput: r.role === 'controlnet' ? r.signature.conditioningScale !== null : null,
    producer: m.header.producer,
    opsets: Object.fromEntries([...m.header.opsets].map(([d, v]) => [d || 'ai.onnx', v])),
    nodes: m.header.nodes.length,
    precision: precisionOf(m.header),
    fused: Object.fromEntries(fusedForms(m.header.nodes)),
    externalData: m.externalData.map((e) => ({ file: e.location, bytes: e.size })),
    providers,
    notes,
  };
}

/** The naming family of residual tensors, with the tools known to write it. */
function namingOf(down: readonly string[]): string {
  const first = down[0] ?? '';
  if (/^down_block_\d+_additional_residual$/.test(first))
    return 'down_block_<i>_additional_residual (Amuse/OnnxStack)';
  if (/^down_block_additional_residual_\d+$/.test(first))
    return 'down_block_additional_residual_<i> (diffusers ControlNet export scripts)';
  if (/^down_block_res_sample_?\d+$/.test(first))
    return 'down_block_res_sample_<i> (diffusers ControlNet export)';
  if (/^controlnet_downblock\d+$/.test(first)) return 'controlnet_downblock<i>';
  return `unnamed or other (first: ${first}); ordered as exported`;
}

function layoutsOf(models: readonly PackModel[], manifest: PackManifest | null): string[] {
  const layouts = new Set<string>();
  const byFolder = (f: string) =>
    models.some((m) => m.origin === 'pack' && m.rel.startsWith(`${f}/`));
  if (byFolder('vae_encoder') || byFolder('vae_decoder'))
    layouts.add('diffusers/optimum ONNX folders');
  const cls = manifest?.modelIndex?._class_name;
  if (cls) layouts.add(`model_index.json: ${cls}`);
  for (const m of models) {
    const r = m.recognised;
    const residuals =
      r.role === 'unet'
        ? r.signature.residuals
        : r.role === 'controlnet'
          ? r.signature.residuals
          : null;
    if (residuals && /^down_block_\d+_additional_residual$/.test(residuals.down[0] ?? ''))
      layouts.add('Amuse/OnnxStack ControlNet naming');
    const forms = [...fusedForms(m.header.nodes).keys()];
    if (forms.length > 0) {
      const gpuOnly = providersFor(forms).cpu === false;
      layouts.add(
        `Olive/ORT-optimised (${gpuOnly ? 'GPU fusion: DirectML/CUDA' : 'CPU-runnable fusion'})${m.header.producer ? `, producer ${m.header.producer}` : ''}`,
      );
    }
  }
  return [...layouts];
}

export { roleName };
