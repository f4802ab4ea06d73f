import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '#main/fs/atomicWrite';
import { sha256 } from './fileHash';

/** Largest input a worker downloads (a picture or a mask). */
const MAX_ASSET_BYTES = 256 * 1024 * 1024;

/**
 * A farm worker's copy of render inputs, named by sha-256 in its cache folder: fetched from the
 * manager once, checked against the hash, written atomically, then shared by every later job
 * (of any render) that names the same content. Concurrent fetches of one hash share one download.
 */
export class AssetCache {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly folder: string) {}

  /** The local path of the asset `hash`, downloading it from `manager` if needed. */
  get(hash: string, manager: { url: string; token: string }): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return Promise.reject(new Error('not an asset hash'));
    let p = this.pending.get(hash);
    if (!p) {
      p = this.fetch(hash, manager).finally(() => this.pending.delete(hash));
      this.pending.set(hash, p);
    }
    return p;
  }

  private async fetch(hash: string, manager: { url: string; token: string }): Promise<string> {
    const path = join(this.folder, hash);
    const have = await stat(path).catch(() => null);
    // Kept files were checked when written; a re-check costs one read of a small picture and
    // catches a file changed behind our back.
    if (have?.isFile() && sha256(await readFile(path)) === hash) return path;
    const res = await fetch(`${manager.url}/assets/${hash}`, {
      headers: { authorization: `Bearer ${manager.token}` },
      signal: AbortSignal.timeout(120_000),
    });
    if (!res.ok)
      throw new Error(
        `the manager refused input ${hash.slice(0, 12)}: ${res.status} ${await res.text()}`,
      );
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_ASSET_BYTES)
      throw new Error(`input ${hash.slice(0, 12)} is larger than 256 MiB`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_ASSET_BYTES)
      throw new Error(`input ${hash.slice(0, 12)} is larger than 256 MiB`);
    if (sha256(body) !== hash)
      throw new Error(`input ${hash.slice(0, 12)} arrived damaged (its sha-256 differs)`);
    await mkdir(this.folder, { recursive: true });
    await atomicWrite(path, body);
    return path;
  }
}
