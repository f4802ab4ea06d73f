/**
 * Mask files that cannot be this picture's mask, given to the engine (project file, CLI
 * `--mask`): each refused as bad input with the reason, and the engine keeps serving. A mask of the
 * same shape at another size is scaled, with a warning.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { EngineRequestError } from '#main/engine/client/errors';
import { PHOTO_CASES, ROOT, firstPerson } from '../../../bench/masks/photoCases';

const dir = mkdtempSync(join(tmpdir(), 'ps-hostile-mask-'));
const spin = PHOTO_CASES[1]!;
const ref = firstPerson(spin.pose, 153, 192);
const truth = readFileSync(join(ROOT, 'test/fixtures/masks/spin_im1010_mask.png'));
let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start({ threads: 1 });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const grey = (w: number, h: number, v: number) =>
  sharp(Buffer.alloc(w * h, v), { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();

async function refusal(maskPath: string): Promise<EngineRequestError> {
  try {
    await engine.setupCharacter({ picturePath: spin.photo, referencePose: ref, maskPath });
  } catch (e) {
    if (e instanceof EngineRequestError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('hostile mask files', { timeout: 120_000 }, () => {
  it('are refused with the reason', async () => {
    const files: [string, Uint8Array | null, RegExp][] = [
      ['missing.png', null, /mask not found/],
      ['text.png', Buffer.from('not a picture'), /not a picture/],
      ['truncated.png', truth.subarray(0, Math.floor(truth.length / 2)), /cannot decode mask/],
      ['empty.png', new Uint8Array(0), /not a picture/],
      ['wide.png', await grey(400, 100, 255), /another shape/],
      ['black.png', await grey(153, 192, 0), /empty \(no white pixel\)/],
      ['white.png', await grey(153, 192, 255), /all white/],
    ];
    for (const [name, bytes, reason] of files) {
      if (bytes) writeFileSync(join(dir, name), bytes);
      const e = await refusal(join(dir, name));
      expect(e.kind, name).toBe('bad-input');
      expect(e.message, name).toMatch(reason);
    }
    mkdirSync(join(dir, 'folder.png'));
    expect((await refusal(join(dir, 'folder.png'))).message).toMatch(/not a file/);
    // Still serving: the same photo sets up with a good mask.
    writeFileSync(join(dir, 'good.png'), truth);
    const info = await engine.setupCharacter({
      picturePath: spin.photo,
      referencePose: ref,
      maskPath: join(dir, 'good.png'),
    });
    expect(info.maskSource).toBe('user');
    expect(info.warnings.map((w) => w.code)).not.toContain('mask-resized');
  });

  it('a mask of the same shape at another size is scaled, with a warning', async () => {
    const file = join(dir, 'half.png');
    await sharp(truth).resize(77, 96, { kernel: 'nearest' }).png().toFile(file);
    const info = await engine.setupCharacter({
      picturePath: spin.photo,
      referencePose: ref,
      maskPath: file,
    });
    expect(info.maskSource).toBe('user');
    const resized = info.warnings.find((w) => w.code === 'mask-resized');
    expect(resized?.message).toMatch(/77×96.*153×192/);
  });
});
