import { spawn } from 'node:child_process';

/**
 * The Python that `pose-studio pack export` runs. Only the exporter needs Python (torch and
 * diffusers turn a checkpoint into ONNX); nothing else in the app does.
 */

/** Modules the exporter cannot work without; transformers and safetensors have fallbacks. */
const REQUIRED = ['torch', 'onnx', 'diffusers', 'numpy'] as const;
const OPTIONAL = ['transformers', 'safetensors', 'onnxruntime'] as const;

export const INSTALL_HINT =
  'install them with `pip install -r tools/pack-export/requirements.txt` (Python 3.10 or 3.11), ' +
  'or on Debian 12: `apt-get install python3-torch python3-onnx` and put the diffusers v0.21.4 ' +
  'source on PYTHONPATH (tools/pack-export/README.md); then run again, or name the Python with --python';

export interface PythonProbe {
  /** The command that was tried. */
  command: string;
  /** Null when it could not be started or did not answer like a Python 3. */
  version: string | null;
  missing: string[];
  optionalMissing: string[];
}

/** Asks `command` which of the exporter's modules it can import (without importing torch). */
export async function probePython(command: string, env: NodeJS.ProcessEnv): Promise<PythonProbe> {
  const modules = [...REQUIRED, ...OPTIONAL];
  const code =
    'import importlib.util, json, sys; ' +
    `print(json.dumps({"version": sys.version.split()[0], "found": {m: importlib.util.find_spec(m) is not None for m in ${JSON.stringify(modules)}}}))`;
  const out = await new Promise<string | null>((resolve) => {
    let text = '';
    let child;
    try {
      child = spawn(command, ['-c', code], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (text.length < 10_000) text += d;
    });
    child.on('error', () => resolve(null));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve(status === 0 ? text : null);
    });
  });
  const parsed = parseProbe(out);
  if (!parsed) return { command, version: null, missing: [...REQUIRED], optionalMissing: [] };
  return {
    command,
    version: parsed.version,
    missing: REQUIRED.filter((m) => !parsed.found[m]),
    optionalMissing: OPTIONAL.filter((m) => !parsed.found[m]),
  };
}

function parseProbe(
  out: string | null,
): { version: string; found: Record<string, boolean> } | null {
  if (!out) return null;
  try {
    const json = JSON.parse(out.trim()) as { version?: unknown; found?: unknown };
    if (typeof json.version !== 'string' || typeof json.found !== 'object' || !json.found)
      return null;
    return { version: json.version, found: json.found as Record<string, boolean> };
  } catch {
    return null;
  }
}

/**
 * The first Python with everything the exporter needs: the one named by the user, else Debian's
 * /usr/bin/python3 (the apt packages' interpreter; another python3 on PATH cannot see them),
 * else `python3` and `python` on PATH. When none has it, the probes say what each lacks.
 */
export async function findExportPython(
  chosen: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ python: PythonProbe | null; tried: PythonProbe[] }> {
  const candidates = chosen ? [chosen] : ['/usr/bin/python3', 'python3', 'python'];
  const tried: PythonProbe[] = [];
  for (const c of candidates) {
    const probe = await probePython(c, env);
    if (probe.version && probe.missing.length === 0) return { python: probe, tried };
    tried.push(probe);
  }
  return { python: null, tried };
}

/** One line per Python tried, saying what it lacks. */
export function describeMissing(tried: readonly PythonProbe[]): string {
  const found = tried.filter((t) => t.version);
  if (found.length === 0)
    return `no Python 3 found (tried ${tried.map((t) => t.command).join(', ')}): ${INSTALL_HINT}`;
  const best = found[0]!;
  return `${best.command} (Python ${best.version}) lacks ${best.missing.join(', ')}: ${INSTALL_HINT}`;
}
