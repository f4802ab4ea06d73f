import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '#main/cli/command';
import { CliError } from '#main/cli/cliError';
import { command } from '#main/cli/commands/pack';

/**
 * `pose-studio pack export` before any Python work: arguments, outputs that exist, and a Python
 * without the exporter's packages (CI has no torch; the export itself is exercised by the
 * committed fixture test/fixtures/packs/exported-tiny, which `pack parity` re-checks here).
 */
const ROOT = resolve(__dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'pack-command-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, cwd: tmp };
  return { io, out, err };
}

async function refusal(args: string[]): Promise<CliError> {
  const c = capture();
  const e = await command.run(args, c.io).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

/** A stand-in interpreter that answers the module probe like a Python without torch. */
function pythonWithout(modules: string[]): string {
  const found = Object.fromEntries(
    ['torch', 'onnx', 'diffusers', 'numpy', 'transformers', 'safetensors', 'onnxruntime'].map(
      (m) => [m, !modules.includes(m)],
    ),
  );
  const file = join(tmp, `python-${modules.join('-')}`);
  writeFileSync(file, `#!/bin/sh\necho '${JSON.stringify({ version: '3.11.2', found })}'\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('pose-studio pack export', () => {
  const args = (out: string, python?: string) => [
    'export',
    '--checkpoint',
    'ckpt',
    '--controlnet',
    'cn',
    '-o',
    out,
    ...(python ? ['--python', python] : []),
  ];

  it('needs its three folders and a sensible opset', async () => {
    expect((await refusal(['export', '--controlnet', 'cn', '-o', 'x'])).message).toMatch(
      /needs --checkpoint/,
    );
    expect((await refusal([...args('x'), '--opset', '9'])).message).toMatch(/--opset must be/);
    expect((await refusal([...args('x'), '--opset', '1e308'])).message).toMatch(/whole number/);
    expect((await refusal(['export', 'stray', ...args('x').slice(1)])).message).toMatch(
      /no positional/,
    );
    expect((await refusal(['frobnicate'])).message).toMatch(/unknown pack command/);
  });

  it('never writes into a folder that exists, nor over a previous working folder', async () => {
    mkdirSync(join(tmp, 'mine'));
    writeFileSync(join(tmp, 'mine', 'keep.txt'), 'user data');
    const e = await refusal(args('mine'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/already exists/);
    mkdirSync(join(tmp, 'other.export'));
    expect((await refusal(args('other'))).message).toMatch(/other\.export already exists/);
    expect(readdirSync(join(tmp, 'mine'))).toEqual(['keep.txt']);
  });

  it('says what to install when the Python lacks torch or diffusers (exit 3)', async () => {
    const e = await refusal(args('fresh', pythonWithout(['torch', 'diffusers'])));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/lacks torch, diffusers/);
    expect(e.message).toMatch(/pip install -r tools\/pack-export\/requirements\.txt/);
    expect(e.message).toMatch(/apt-get install python3-torch python3-onnx/);
  });

  it('says so when the named Python does not run at all', async () => {
    const e = await refusal(args('fresh2', join(tmp, 'no-such-python')));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/no Python 3 found/);
  });
});

describe('pose-studio pack parity', () => {
  it('refuses a folder that no exporter wrote, in one line', async () => {
    mkdirSync(join(tmp, 'not-a-pack'));
    expect((await refusal(['parity', 'not-a-pack'])).message).toMatch(
      /parity\.json is missing: not a pack written by pose-studio pack export/,
    );
  });

  it('passes on the committed exported pack', async () => {
    const c = capture();
    const code = await command.run(
      ['parity', join(ROOT, 'test/fixtures/packs/exported-tiny')],
      c.io,
    );
    expect(c.out.at(-1)).toBe('parity ok');
    expect(code).toBe(0);
    expect(c.out.filter((l) => l.includes('max|onnx-torch|') && l.endsWith(' ok'))).toHaveLength(
      18,
    );
  }, 300_000);
});
