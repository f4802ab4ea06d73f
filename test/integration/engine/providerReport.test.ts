import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '#main/engine/engineHost';
import { availableProviders } from '#main/engine/providers';
import { parseProviderProblems, providerProblemText } from '#shared/providers/providerProblems';

/**
 * What the engine reports when it cannot use the provider the user chose, read back the way the
 * Settings page reads it: the real engine host with the real ONNX Runtime of this machine.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-report-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A provider no onnxruntime-node build of this platform has. */
const ABSENT = process.platform === 'win32' ? 'coreml' : 'dml';

describe("the engine's provider report", () => {
  it('says why a chosen provider this build lacks is not used (it used to say nothing)', async () => {
    const host = new EngineHost({ providers: [ABSENT], modelCacheDir: join(dir, 'a') });
    try {
      await host.warmUp();
      const info = host.info();
      expect(info.device).toBe('cpu');
      const problems = parseProviderProblems(info.fallbackReason);
      expect(problems).toEqual([
        { provider: ABSENT, kind: 'missing', reason: availableProviders().join(', ') },
      ]);
      expect(providerProblemText(problems[0]!, info.device)).toMatch(
        /is not part of this machine's ONNX Runtime \(it has CPU.*\)\. Renders use CPU instead\./,
      );
    } finally {
      await host.close();
    }
  });

  it('says nothing when the CPU was asked for', async () => {
    const host = new EngineHost({ providers: ['cpu'], modelCacheDir: join(dir, 'b') });
    try {
      await host.warmUp();
      expect(host.info().fallbackReason).toBeUndefined();
    } finally {
      await host.close();
    }
  });

  it('reads back every provider that failed to start, with a one-line reason', async () => {
    const host = new EngineHost({ modelCacheDir: join(dir, 'c') });
    try {
      await host.warmUp();
      const info = host.info();
      // A machine whose GPU provider works reports no fallback; one without says why, in words.
      if (info.device !== 'cpu') return expect(info.fallbackReason).toBeUndefined();
      for (const p of parseProviderProblems(info.fallbackReason)) {
        expect(p.reason).not.toMatch(/\n|\.cc:\d+|^Ort[A-Z]/);
        expect(providerProblemText(p, 'cpu')).toMatch(/Renders use CPU instead\./);
      }
      if (info.fallbackReason)
        expect(parseProviderProblems(info.fallbackReason).length).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });
});
