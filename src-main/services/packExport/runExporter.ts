import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/pack-export/export_pack.py in this checkout (the exporter ships beside the app's code). */
export const EXPORTER_SCRIPT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../tools/pack-export/export_pack.py',
);

export interface ExportRequest {
  python: string;
  checkpoint: string;
  controlnet: string;
  output: string;
  opset?: number;
  env: NodeJS.ProcessEnv;
  /** Every line the exporter prints (stdout and stderr, in order of arrival). */
  onLine(line: string, stream: 'out' | 'err'): void;
  signal?: AbortSignal;
}

/** Runs the Python exporter to completion; resolves with its exit code (see export_pack.py). */
export function runExporter(req: ExportRequest): Promise<number> {
  const args = [
    EXPORTER_SCRIPT,
    '--checkpoint',
    req.checkpoint,
    '--controlnet',
    req.controlnet,
    '--output',
    req.output,
    ...(req.opset !== undefined ? ['--opset', String(req.opset)] : []),
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(req.python, args, {
      env: { ...req.env, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(req.signal ? { signal: req.signal } : {}),
    });
    for (const [stream, name] of [
      [child.stdout, 'out'],
      [child.stderr, 'err'],
    ] as const) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => {
        const lines = (rest + d).split('\n');
        rest = lines.pop()!;
        for (const l of lines) req.onLine(l, name);
      });
      stream.on('end', () => {
        if (rest) req.onLine(rest, name);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}
