/**
 * DiffusionHost bookkeeping on the tiny pack (real sessions): one generator per pack shared by the
 * ids bound to it, an id opened again rebinds without leaking its entry, close releases it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyPack } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DiffusionHost } from '#main/engine/diffusion/host/diffusionHost';
import type { OpenDiffusionPayload } from '#main/engine/diffusion/host/diffusionProtocol';
import { SessionPool } from '#main/engine/sessionPool';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { Joint } from '#shared/pose/skeleton';

let root: string;
let payload: OpenDiffusionPayload;
let pool: SessionPool;
let host: DiffusionHost;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'diffusion-host-'));
  const packDir = await buildTinyPack(join(root, 'pack'));
  const pose = emptyPoints();
  setPoint(pose, Joint.neck, 32, 16, 1);
  setPoint(pose, Joint.rHip, 28, 38, 1);
  payload = {
    packDir,
    output: { width: 64, height: 64 },
    reference: {
      image: { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) },
    },
    referencePose: pose,
    settings: { prompt: 'a dancer', seed: 1, steps: 2, guidanceScale: 1 },
  };
  pool = new SessionPool({ providers: ['cpu'], threads: 1 });
  host = new DiffusionHost(pool, { providers: ['cpu'] });
});
afterAll(async () => {
  await host.closeAll();
  await pool.close();
  rmSync(root, { recursive: true, force: true });
});

describe('DiffusionHost', () => {
  it('shares a generator per pack; an id opened again keeps one managed entry; close frees it', async () => {
    await host.open('a', payload);
    expect((await host.open('b', payload)).shared).toBe(true);
    expect(host.stats().generators).toBe(1);
    await host.close('b');
    // 'a' is the entry's only user now: opening it again must not orphan the entry.
    await host.open('a', payload);
    expect(host.stats().generators).toBe(1);
    expect(await host.close('a')).toBe(true);
    expect(host.stats()).toEqual({ generators: 0, sessions: 0 });
  }, 60_000);
});
