/**
 * Why a GPU execution provider is not used, in the user's words. The engine writes one reason
 * per provider with `providerFailedReason` / `providerMissingReason` (into its `fallbackReason`,
 * joined with "; "); the studio reads them back with `parseProviderProblems` and says them with
 * `providerProblemText`. One owner for the wording on both sides, so the two cannot drift.
 */

/** Providers by the names users know. */
const LABELS = new Map<string, string>([
  ['auto', 'Automatic (best available)'],
  ['cpu', 'CPU'],
  ['cuda', 'CUDA (NVIDIA)'],
  ['dml', 'DirectML (Windows)'],
  ['coreml', 'Core ML (macOS)'],
  ['webgpu', 'WebGPU'],
]);

export function providerLabel(name: string): string {
  return LABELS.get(name) ?? name;
}

/** What to do to get each provider working (docs: README "GPU providers"). */
const FIXES = new Map<string, string>([
  [
    'cuda',
    'It needs an NVIDIA driver, CUDA 12 and cuDNN 9, and onnxruntime-node\'s CUDA files: ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node --ignore-scripts=false (README, "GPU providers").',
  ],
  ['dml', 'DirectML exists only on Windows (DirectX 12 GPUs).'],
  ['coreml', 'Core ML exists only on macOS.'],
  ['webgpu', 'WebGPU is experimental and needs a GPU adapter the engine can open.'],
]);

export function providerFailedReason(provider: string, error: string): string {
  return `${provider} failed: ${error.split('\n')[0]}`;
}

export function providerMissingReason(provider: string, available: readonly string[]): string {
  return `${provider} is not available in this onnxruntime build (have: ${available.join(', ')})`;
}

export interface ProviderProblem {
  provider: string;
  /** `failed`: listed by ONNX Runtime but could not start; `missing`: not in this build. */
  kind: 'failed' | 'missing';
  /** `failed`: ONNX Runtime's reason, cleaned; `missing`: the providers the build has. */
  reason: string;
}

const NAME = '([a-z][a-z0-9_-]{0,30})';
const FAILED = new RegExp(`(^|[(;]\\s*)${NAME} failed: `, 'g');
const MISSING = new RegExp(
  `(^|[(;]\\s*)${NAME} is not available in this onnxruntime build \\(have: ([^)]*)\\)`,
  'g',
);
const MAX_REASON = 240;

/**
 * ONNX Runtime's text without what only its developers read: the source location and failed
 * check of an ORT_ENFORCE ("…/webgpu_context.cc:136 …::<lambda()> x == y was false. Failed to get
 * a WebGPU adapter: …"), the C API function name, the "[ONNXRuntimeError] : 1 : FAIL :" prefix.
 */
export function cleanProviderReason(reason: string): string {
  let r = reason.split('\n')[0]!.trim();
  r = r.replace(/^\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/, '');
  if (/^\S+\.(?:cc|cpp|c|h|hpp|mm):\d+\s/.test(r)) {
    const check = r.indexOf(' was false. ');
    r = check >= 0 ? r.slice(check + ' was false. '.length) : r.replace(/^\S+\s+\S+\s*/, '');
  }
  r = r.replace(/^Ort[A-Za-z_]+:\s*/, '').replace(/[.\s]+$/, '');
  if (r.length > MAX_REASON) r = `${r.slice(0, MAX_REASON - 1)}…`;
  if (!r) return 'no reason given';
  return r[0]!.toUpperCase() + r.slice(1);
}

function untilUnopenedParenthesis(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && depth-- === 0) return text.slice(0, i);
  }
  return text.replace(/[;\s(]+$/, '');
}

/** The problems named in an engine's `fallbackReason` (first per provider, in order). */
export function parseProviderProblems(message: string | undefined): ProviderProblem[] {
  if (typeof message !== 'string' || !message) return [];
  type Hit = {
    at: number;
    end: number;
    provider: string;
    kind: ProviderProblem['kind'];
    have?: string;
  };
  const hits: Hit[] = [];
  for (const m of message.matchAll(MISSING))
    hits.push({
      at: m.index + m[1]!.length,
      end: m.index + m[0].length,
      provider: m[2]!,
      kind: 'missing',
      have: m[3]!,
    });
  for (const m of message.matchAll(FAILED))
    hits.push({
      at: m.index + m[1]!.length,
      end: m.index + m[0].length,
      provider: m[2]!,
      kind: 'failed',
    });
  hits.sort((a, b) => a.at - b.at);
  const out: ProviderProblem[] = [];
  hits.forEach((h, i) => {
    if (out.some((p) => p.provider === h.provider)) return;
    if (h.kind === 'missing') {
      out.push({ provider: h.provider, kind: 'missing', reason: h.have!.trim() });
      return;
    }
    // A failed provider's reason runs to the next reason, or to the parenthesis closing the
    // engine's "fell back to cpu (…)" around its list of failures (ORT's own are balanced).
    const text = untilUnopenedParenthesis(message.slice(h.end, hits[i + 1]?.at ?? message.length));
    out.push({ provider: h.provider, kind: 'failed', reason: cleanProviderReason(text) });
  });
  return out;
}

/**
 * One problem as the Settings page says it: which provider, why, that renders use the provider
 * the engine fell back to instead, and what would make it work.
 */
export function providerProblemText(problem: ProviderProblem, usedInstead: string): string {
  const name = providerLabel(problem.provider);
  const instead = `Renders use ${providerLabel(usedInstead || 'cpu')} instead.`;
  const fix = FIXES.get(problem.provider);
  const why =
    problem.kind === 'failed'
      ? `${name} could not start: ${problem.reason}.`
      : `${name} is not part of this machine's ONNX Runtime (it has ${
          problem.reason
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .map(providerLabel)
            .join(', ') || 'no providers'
        }).`;
  return [why, instead, fix].filter(Boolean).join(' ');
}
