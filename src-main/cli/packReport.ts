import type { ModelReport, PackReport } from '#main/engine/diffusion/pack/inspectPack';
import { roleName } from '#main/engine/diffusion/pack/packManifest';
import { EXECUTION_PROVIDERS } from '#main/engine/diffusion/pack/providerSupport';

const PROVIDER_NAMES = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' } as const;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function providerLine(p: Record<keyof typeof PROVIDER_NAMES, boolean | null>): string {
  return EXECUTION_PROVIDERS.map(
    (k) => `${PROVIDER_NAMES[k]} ${p[k] === true ? 'yes' : p[k] === false ? 'no' : '?'}`,
  ).join(', ');
}

function modelLines(m: ModelReport, chosen: boolean): string[] {
  const kind =
    m.role === 'unet'
      ? m.controlnetResiduals
        ? `UNet, ControlNet-aware (${m.controlnetResiduals} residual inputs)`
        : 'UNet, plain (no ControlNet inputs)'
      : m.role === 'controlnet'
        ? `ControlNet (${m.conditioningScaleInput ? 'conditioning_scale input' : 'no conditioning_scale input: the app scales its residuals'})`
        : roleName(m.role);
  const opsets = Object.entries(m.opsets)
    .map(([d, v]) => `${d} ${v}`)
    .join(', ');
  const fused = Object.entries(m.fused)
    .map(([f, n]) => `${f} ×${n}`)
    .join(', ');
  const lines = [
    `  ${m.file}${chosen ? '' : '  (not used)'}`,
    `      ${kind}; ${m.precision}; opset ${opsets}; ${m.nodes} nodes${m.producer ? `; producer ${m.producer}` : ''}`,
  ];
  if (m.residualNaming) lines.push(`      residuals named ${m.residualNaming}`);
  lines.push(`      fused ops: ${fused || 'none (standard ONNX ops)'}`);
  if (m.externalData.length > 0)
    lines.push(
      `      external weights: ${m.externalData.map((e) => `${e.file} (${mb(e.bytes)})`).join(', ')}`,
    );
  lines.push(`      providers: ${providerLine(m.providers)}`);
  for (const n of m.notes) lines.push(`      note: ${n}`);
  return lines;
}

/** `pose-studio pack inspect` as text: layout, each model, providers, problems with fixes. */
export function formatPackReport(r: PackReport): string[] {
  const chosenFiles = new Set(Object.values(r.chosen));
  const lines = [`pack ${r.root}`];
  lines.push(`layout: ${r.layouts.join('; ') || 'no models recognised'}`);
  lines.push('models:');
  for (const m of r.models) lines.push(...modelLines(m, chosenFiles.has(m.file)));
  if (Object.keys(r.chosen).length > 0) {
    lines.push('used for a render:');
    for (const [role, file] of Object.entries(r.chosen))
      lines.push(`  ${roleName(role as never).padEnd(12)} ${file}`);
  }
  if (r.providers) lines.push(`providers for the whole pack: ${providerLine(r.providers)}`);
  lines.push(
    "  (CPU verified on onnxruntime-node; CUDA/DirectML from ONNX Runtime's kernel tables; CoreML runs fused ops on CPU)",
  );
  if (r.lfsPointers.length > 0)
    lines.push(
      `Git LFS pointers instead of files: ${r.lfsPointers.join(', ')} — run "git lfs pull"`,
    );
  if (r.rewrites.length > 0) {
    lines.push('rewritten for CPU when opened:');
    for (const w of r.rewrites) lines.push(`  - ${w}`);
  }
  if (r.problems.length === 0)
    lines.push(r.rendersOnCpu ? 'ready: renders on CPU' : 'no problems found');
  else {
    lines.push('problems:');
    for (const p of r.problems) lines.push(`  - ${p.message}`);
  }
  return lines;
}
