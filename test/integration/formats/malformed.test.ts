import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPoses, PoseFormatError } from '#shared/pose/formats/index';

/**
 * Damaged copies of every fixture: each import must either succeed or throw a PoseFormatError
 * that names a path — never a TypeError or RangeError from deep inside an importer.
 */
const dir = join(__dirname, '../../fixtures/poses');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPLACEMENTS: unknown[] = [null, 'x', {}, [], [1, 2], -1e9, 0, 1.5, true, [[1, 2, 3]]];

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every entry of every container (object or array) in the value, so one can be replaced. */
function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      slots(v, out);
    }
  }
  return out;
}

describe('damaged pose files', () => {
  it.each(files)('%s: every damage gives a result or a PoseFormatError', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const random = rng(name.length * 7919);
    for (let trial = 0; trial < 150; trial++) {
      const json = JSON.parse(text) as unknown;
      const all = slots(json);
      for (let d = 0; d < 1 + Math.floor(random() * 3); d++) {
        const s = all[Math.floor(random() * all.length)]!;
        const replacement = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
        if (random() < 0.15 && !Array.isArray(s.parent)) delete s.parent[s.key as string];
        else (s.parent as Record<string | number, unknown>)[s.key] = replacement;
      }
      try {
        const r = importPoses(json, { fileName: name, size: { width: 640, height: 480 } });
        for (const f of r.frames) {
          expect(Number.isInteger(f.width) && f.width >= 1).toBe(true);
          for (const p of f.people) expect(p.points.every(Number.isFinite)).toBe(true);
        }
      } catch (e) {
        if (!(e instanceof PoseFormatError)) throw e;
        expect(e.message.startsWith(`${name}: `)).toBe(true);
        expect(e.path.length).toBeGreaterThan(0);
      }
    }
  });
});
