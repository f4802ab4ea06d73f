/**
 * A few hundred seeded malformed pose and project files through the real load paths (pose
 * import + write-back, project load + save round trip, the CLI every 40th case): no crash, and
 * every refusal names the field. `npm run bench:fuzz-files` runs the same with ≥ 10,000 cases.
 */
import { describe, expect, it } from 'vitest';
import { runFileFuzz } from '#test/fuzz/fileFuzz';
import { malformedFile } from '#test/fuzz/fileMutations';

describe('file fuzzer', () => {
  it('makes the same cases from the same seed, and different ones from another', () => {
    const seed = { people: [{ pose_keypoints_2d: [1, 2, 1] }], canvas_width: 8 };
    expect(malformedFile(seed, 42)).toEqual(malformedFile(seed, 42));
    const texts = new Set(Array.from({ length: 50 }, (_, i) => malformedFile(seed, i).text));
    expect(texts.size).toBeGreaterThan(30);
  });

  it('200 malformed files: no crash, every refusal names its field', async () => {
    const report = await runFileFuzz({ cases: 200, seed: 2026, cliEvery: 40 });
    expect(report.cases).toBe(200);
    expect(report.crashes).toEqual([]);
    expect(report.unnamed).toEqual([]);
    // The mutations are hostile enough to be refused mostly, mild enough to be accepted sometimes.
    expect(report.refused).toBeGreaterThan(100);
    expect(report.accepted).toBeGreaterThan(10);
  }, 180_000);
});
