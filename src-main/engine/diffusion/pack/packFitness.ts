import type { PackManifest } from './packManifest';
import type { PackModel } from './packModel';
import { PackError } from './packError';
import { precisionOf } from './precision';
import { FUSED_FORMS, formRunsOn } from '#main/engine/diffusion/rewrite/contribKernels';
import { fusedForms } from './providerSupport';
import { rewriteForProvider } from './providerRewrite';

const providerName = (p: string) =>
  ({ cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' })[p] ?? p;

/**
 * Why one model cannot run on this provider list, in the user's words with the fix, or [] when it
 * can: fused ops none of the providers has a kernel for (Olive/DirectML-optimised exports), and
 * a float16 body on CPU only (ORT's CPU provider lacks float16 kernels for several UNet ops).
 */
export function providerProblems(model: PackModel, providers: readonly string[]): string[] {
  const names = providers.map(providerName).join(' / ');
  const problems: string[] = [];
  const missing = [...fusedForms(model.header.nodes).keys()].filter(
    (f) => formRunsOn(f, providers) === false,
  );
  if (missing.length > 0) {
    const labels = missing.map((k) => FUSED_FORMS.find((f) => f.key === k)?.label ?? k);
    const gpu = ['cuda', 'dml'].filter((p) => missing.every((f) => formRunsOn(f, [p, 'cpu'])));
    problems.push(
      `${model.rel} is optimised for ${gpu.length ? gpu.map(providerName).join(' or ') : 'another provider'} (${labels.join(', ')}), which ${names} cannot run: ${
        gpu.length
          ? `choose ${gpu.map(providerName).join(' or ')} in Settings → execution provider, or `
          : ''
      }use the unoptimised (plain ONNX) export of the same model`,
    );
  }
  const gpuListed = providers.some((p) => p === 'cuda' || p === 'dml');
  if (!gpuListed && precisionOf(model.header) !== 'float32')
    problems.push(
      `${model.rel} is a float16 model, which the CPU provider cannot run: use the float32 export, or a GPU provider (CUDA, DirectML) in Settings → execution provider`,
    );
  return problems;
}

/**
 * The up-front check of a whole pack for the providers a render will use: the first problem,
 * as one line, unless the provider rewrite seam can fix it. Run before any session opens.
 */
export function checkPackRuns(manifest: PackManifest, providers: readonly string[]): void {
  // The UNet first: it is the model a user most often swaps for an optimised download.
  for (const role of [
    'unet',
    'controlnet',
    'text_encoder',
    'vae_encoder',
    'vae_decoder',
  ] as const) {
    const model = manifest.components[role];
    if (!model) continue;
    const problems = providerProblems(model, providers);
    if (problems.length > 0 && !rewriteForProvider(model, providers, problems))
      throw new PackError(problems[0]!, model.rel);
  }
}
