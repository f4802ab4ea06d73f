import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { ReferenceUnet } from '#main/engine/diffusion/surgery/referenceUnet';
import { LocalSessionProvider } from '#test/helpers/diffusion/localSessionProvider';
import { SD15_TINY_REAL } from '#test/helpers/diffusion/sd15TinyReal';

/** Damaged UNet files reach the surgery as a clear refusal, never a crash or a hang. */
const root = mkdtempSync(join(tmpdir(), 'hostile-unet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const provider = new LocalSessionProvider();
const source = join(SD15_TINY_REAL, 'olive-fused-dml/unet');
let n = 0;

function unetFolder(graph: Uint8Array | null, weights: 'copy' | 'truncated'): string {
  const dir = join(root, `u${n++}`);
  mkdirSync(dir);
  if (graph) writeFileSync(join(dir, 'model.onnx'), graph);
  copyFileSync(join(source, 'model.onnx.data'), join(dir, 'model.onnx.data'));
  if (weights === 'truncated') truncateSync(join(dir, 'model.onnx.data'), 1000);
  return join(dir, 'model.onnx');
}

describe('hostile unet/model.onnx', () => {
  const graph = readFileSync(join(source, 'model.onnx'));
  it.each([
    ['truncated in the middle', graph.subarray(0, Math.floor(graph.length / 2))],
    ['empty', new Uint8Array(0)],
    ['random bytes', Uint8Array.from(new SeededRandom(3).normals(4096, 100), (v) => v & 255)],
    ['a JSON file', new TextEncoder().encode('{"not": "a model"}')],
  ])('%s: refused, naming the file', async (_, bytes) => {
    await expect(ReferenceUnet.open(unetFolder(bytes, 'copy'), provider)).rejects.toThrow(
      /unet\/model.onnx is not (a readable ONNX model|an ONNX model with a graph)/,
    );
    expect(provider.openCount).toBe(0);
  });

  it('truncated external weights: ONNX Runtime’s reason is passed on, nothing stays open', async () => {
    await expect(ReferenceUnet.open(unetFolder(graph, 'truncated'), provider)).rejects.toThrow(
      /unet\/model.onnx cannot run on cpu: cpu: ONNX Runtime could not load/,
    );
    expect(provider.openCount).toBe(0);
  });
});
