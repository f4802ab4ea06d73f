import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { BankSlot } from '#main/engine/diffusion/surgery/referenceAttention';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import { ReferenceBankCache } from './referenceBankCache';

const root = mkdtempSync(join(tmpdir(), 'ps-bank-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const slot: BankSlot = {
  block: 'b0',
  keyName: 'k0',
  valueName: 'v0',
  writtenKey: 'b0.key',
  writtenValue: 'b0.value',
  channels: 2,
  elemType: 1,
};
const bank = (): ReferenceBank => ({
  slots: [slot],
  tensors: new Map([
    ['k0', new ort.Tensor('float32', new Float32Array([1, 2, 3, 4]), [1, 2, 2])],
    ['v0', new ort.Tensor('float32', new Float32Array([5, 6, 7, 8]), [1, 2, 2])],
  ]),
  tokens: 2,
});

let n = 0;
function folders(): { banks: string; outside: string } {
  const dir = join(root, `c${n++}`);
  mkdirSync(join(dir, 'banks'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  return { banks: join(dir, 'banks'), outside: join(dir, 'outside') };
}

describe('ReferenceBankCache: only its own regular files', () => {
  it('stores and reads back a bank', async () => {
    const { banks } = folders();
    const cache = new ReferenceBankCache(banks);
    const key = 'a'.repeat(64);
    expect((await cache.getOrCompute(key, [slot], async () => bank())).fromCache).toBe(false);
    const again = await cache.getOrCompute(key, [slot], async () => {
      throw new Error('should come from the cache');
    });
    expect(again.fromCache).toBe(true);
  });

  it('a bank file that is a link to a user file is not read, touched or written through', async () => {
    const { banks, outside } = folders();
    const key = 'b'.repeat(64);
    const userFile = join(outside, 'notes.txt');
    writeFileSync(userFile, 'the user’s notes');
    symlinkSync(userFile, join(banks, `${key}.bank`));
    // A link waiting at the predictable temporary name, too.
    symlinkSync(userFile, join(banks, `${key}.bank.${process.pid}.tmp`));
    const cache = new ReferenceBankCache(banks);
    const r = await cache.getOrCompute(key, [slot], async () => bank());
    expect(r.fromCache).toBe(false);
    expect(readFileSync(userFile, 'utf8')).toBe('the user’s notes');
    expect(lstatSync(join(banks, `${key}.bank`)).isFile()).toBe(true); // the link was replaced
  });

  it('a bank file that is a named pipe counts as not cached (no blocked read)', async () => {
    const { banks } = folders();
    const key = 'c'.repeat(64);
    execFileSync('mkfifo', [join(banks, `${key}.bank`)]);
    const r = await new ReferenceBankCache(banks).getOrCompute(key, [slot], async () => bank());
    expect(r.fromCache).toBe(false);
  });
});
