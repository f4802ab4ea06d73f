import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from './builtins';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('built-in ONNX graphs', () => {
  for (const [id, model] of Object.entries(BUILTIN_MODELS)) {
    const manifest = model.manifest as {
      files: { sha256: string }[];
      inputs: string[];
      outputs: string[];
    };
    it(`${id}: the builder is deterministic and matches the manifest's sha256`, () => {
      const a = model.build();
      expect(sha(a)).toBe(sha(model.build()));
      // If this fails after a builder change, update the sha256 in the manifest (and bump version).
      expect(sha(a)).toBe(manifest.files[0]!.sha256);
    });
    it(`${id}: loads in ONNX Runtime with the manifest's inputs and outputs`, async () => {
      const session = await ort.InferenceSession.create(model.build());
      expect([...session.inputNames].sort()).toEqual([...manifest.inputs].sort());
      expect([...session.outputNames]).toEqual(manifest.outputs);
      await session.release();
    });
  }
});
