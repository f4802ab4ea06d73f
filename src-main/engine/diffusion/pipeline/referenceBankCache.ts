import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BankSlot } from '#main/engine/diffusion/surgery/referenceAttention';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';

/**
 * Reference banks on disk, by content hash of everything that determines them (the UNet graph,
 * the reference latent, timestep, prompt embedding and pose). A render computes its bank once;
 * the next render with the same reference and model reads it back instead.
 *
 * File: 4-byte little-endian header length, JSON header {version, tensors: [{name, dims}]},
 * then the float32 data of each tensor in header order.
 */
export class ReferenceBankCache {
  constructor(private readonly dir: string | null) {}

  static key(parts: readonly (string | Float32Array | number | null)[]): string {
    const h = createHash('sha256');
    for (const p of parts) {
      if (p === null) h.update('∅');
      else if (typeof p === 'string') h.update(`s${p.length}:${p}`);
      else if (typeof p === 'number') h.update(`n${p}`);
      else h.update(`f${p.length}:`).update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    }
    return h.digest('hex');
  }

  async getOrCompute(
    key: string,
    slots: readonly BankSlot[],
    compute: () => Promise<ReferenceBank>,
  ): Promise<{ bank: ReferenceBank; fromCache: boolean }> {
    if (this.dir) {
      const cached = await this.read(key, slots);
      if (cached) return { bank: cached, fromCache: true };
    }
    const bank = await compute();
    if (this.dir) await this.write(key, bank);
    return { bank, fromCache: false };
  }

  private path(key: string): string {
    return join(this.dir!, `${key}.bank`);
  }

  private async read(key: string, slots: readonly BankSlot[]): Promise<ReferenceBank | null> {
    let bytes: Buffer;
    try {
      // Only a regular file: a link (it could lead out of the project, and utimes would touch
      // its target) or a pipe (a read would block) counts as not cached.
      if (!(await lstat(this.path(key))).isFile()) return null;
      bytes = await readFile(this.path(key));
    } catch {
      return null;
    }
    try {
      const headerLength = bytes.readUInt32LE(0);
      const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as {
        version: number;
        tensors: { name: string; dims: number[]; type?: 'float32' | 'float16' }[];
      };
      if (header.version !== 1) return null;
      const tensors = new Map<string, ort.Tensor>();
      let at = 4 + headerLength;
      for (const t of header.tensors) {
        const count = t.dims.reduce((a, b) => a * b, 1);
        const half = t.type === 'float16';
        const bytesPer = half ? 2 : 4;
        if (at + count * bytesPer > bytes.length) return null;
        const data = half ? new Uint16Array(count) : new Float32Array(count);
        new Uint8Array(data.buffer).set(bytes.subarray(at, at + count * bytesPer));
        at += count * bytesPer;
        tensors.set(
          t.name,
          half
            ? new ort.Tensor('float16', data as Uint16Array, t.dims)
            : new ort.Tensor('float32', data as Float32Array, t.dims),
        );
      }
      for (const s of slots) if (!tensors.has(s.keyName) || !tensors.has(s.valueName)) return null;
      const first = tensors.get(slots[0]!.keyName)!;
      // Recently used = recent mtime: the cache pruner removes least recently used files first.
      // Best effort (a read-only cache is no reason to fail).
      const now = new Date();
      await utimes(this.path(key), now, now).catch(() => undefined);
      return { slots, tensors, tokens: Number(first.dims[1]) };
    } catch {
      return null; // a damaged cache file is recomputed, never trusted
    }
  }

  private async write(key: string, bank: ReferenceBank): Promise<void> {
    await mkdir(this.dir!, { recursive: true });
    const entries = [...bank.tensors];
    const header = Buffer.from(
      JSON.stringify({
        version: 1,
        tensors: entries.map(([name, t]) => ({ name, dims: t.dims, type: t.type })),
      }),
      'utf8',
    );
    const parts: Uint8Array[] = [new Uint8Array(4), header];
    new DataView(parts[0]!.buffer).setUint32(0, header.length, true);
    for (const [, t] of entries) {
      const d = t.data as Float32Array | Uint16Array;
      parts.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    }
    // Write then rename: a crash never leaves a half-written bank under the final name.
    // The temp name is predictable: remove whatever has it (a leftover, or a link — unlink does not
    // follow it) and create the file exclusively, so the write never goes through a link.
    const tmp = `${this.path(key)}.${process.pid}.tmp`;
    await unlink(tmp).catch(() => undefined);
    await writeFile(tmp, Buffer.concat(parts), { flag: 'wx' });
    await rename(tmp, this.path(key));
  }
}
