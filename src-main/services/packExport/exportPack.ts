import { lstat, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { checkPackParity, type ParityResult } from '#main/engine/diffusion/export/packParity';
import { describeMissing, findExportPython } from './pythonForExport';
import { runExporter } from './runExporter';

export interface PackExportOptions {
  checkpoint: string;
  controlnet: string;
  output: string;
  opset?: number;
  /** A Python to use instead of looking for one. */
  python?: string;
  env?: NodeJS.ProcessEnv;
  onLine(line: string, stream: 'out' | 'err'): void;
  onParity?(r: ParityResult): void;
}

export type PackExportOutcome =
  | { kind: 'exported'; pack: string; parity: ParityResult[] }
  /** Bad input or a missing Python package: one line saying what to do. */
  | { kind: 'refused'; reason: string; exitCode: 2 | 3 }
  /** The exporter stopped (its own message was streamed) or the app's parity check failed. */
  | { kind: 'failed'; reason: string; exitCode: number; leftIn?: string };

/**
 * `pose-studio pack export`: runs the Python exporter into a sibling working folder, repeats its
 * parity check with the app's own runtime (onnxruntime-node), and only then renames the folder to
 * the name asked for. A killed or failed export never leaves a half pack under that name, and an
 * existing folder is never written into.
 */
export async function exportPack(options: PackExportOptions): Promise<PackExportOutcome> {
  const env = options.env ?? process.env;
  const output = resolve(options.output);
  const working = join(dirname(output), `${basename(output)}.export`);
  for (const path of [output, working, `${working}.partial`])
    if (await exists(path))
      return {
        kind: 'refused',
        reason: `${path} already exists: choose a new output folder (nothing is overwritten)`,
        exitCode: 2,
      };
  const { python, tried } = await findExportPython(options.python, env);
  if (!python) return { kind: 'refused', reason: describeMissing(tried), exitCode: 3 };

  const code = await runExporter({
    python: python.command,
    checkpoint: resolve(options.checkpoint),
    controlnet: resolve(options.controlnet),
    output: working,
    ...(options.opset !== undefined ? { opset: options.opset } : {}),
    env,
    onLine: options.onLine,
  });
  if (code === 2 || code === 3)
    return { kind: 'refused', reason: 'the exporter refused its input (above)', exitCode: code };
  if (code !== 0)
    return {
      kind: 'failed',
      reason: `the exporter stopped with exit code ${code} (above)`,
      exitCode: code === 1 ? 1 : 4,
      leftIn: `${working}.partial`,
    };

  const parity = await checkPackParity(working, options.onParity);
  await recordAppParity(working, parity);
  if (!parity.every((r) => r.ok))
    return {
      kind: 'failed',
      reason:
        'parity check FAILED with onnxruntime-node: the export differs from the PyTorch model',
      exitCode: 1,
      leftIn: working,
    };
  await rename(working, output);
  return { kind: 'exported', pack: output, parity };
}

/** Adds the app runtime's parity results to the pack's pack_export.json. */
async function recordAppParity(pack: string, results: ParityResult[]): Promise<void> {
  const file = join(pack, 'pack_export.json');
  const info = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const version = (
    createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }
  ).version;
  info['parity_app'] = {
    runtime: `onnxruntime-node ${version} (CPU)`,
    results: results.map((r) => ({
      component: r.component,
      output: r.output,
      max_abs_diff: Number.isFinite(r.maxAbsDiff) ? r.maxAbsDiff : String(r.maxAbsDiff),
      allowed: r.allowed,
      ok: r.ok,
    })),
  };
  await writeFile(file, JSON.stringify(info, null, 2) + '\n');
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
