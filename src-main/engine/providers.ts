/**
 * Execution providers: which ONNX Runtime backends this build can use and the order to try them
 * (cuda → cpu on Linux, dml → cpu on Windows, coreml → cpu on macOS), overridable by settings.
 */
import * as ort from 'onnxruntime-node';
import { providerMissingReason } from '#shared/providers/providerProblems';

/** Backends compiled into this onnxruntime-node build and usable here. */
export function availableProviders(): string[] {
  try {
    const names = ort
      .listSupportedBackends()
      .filter((b) => b.bundled || b.name === 'cuda')
      .map((b) => b.name);
    // webgpu is bundled but meant for browsers/experiments; the engine never picks it by default.
    return names.includes('cpu') ? names : [...names, 'cpu'];
  } catch {
    return ['cpu'];
  }
}

export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

/**
 * The providers to try, in order: the requested ones that exist here, always ending with cpu.
 * Returns why any requested provider was skipped, for the engine's report.
 */
export function resolveProviders(
  requested: string[] | undefined,
  available: string[],
): { providers: string[]; skipped: string[] } {
  const wanted = requested && requested.length > 0 ? requested : defaultProviderOrder();
  const providers: string[] = [];
  const skipped: string[] = [];
  for (const p of wanted) {
    if (p === 'cpu' || available.includes(p)) {
      if (!providers.includes(p)) providers.push(p);
    } else skipped.push(providerMissingReason(p, available));
  }
  if (!providers.includes('cpu')) providers.push('cpu');
  return { providers, skipped };
}
