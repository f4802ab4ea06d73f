import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoherenceMeter } from '#shared/render/coherence/coherenceMeter';
import { readCoherenceReport, writeCoherenceReport } from './coherenceFile';

const root = mkdtempSync(join(tmpdir(), 'coherence-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const JOB = '0123456789ab';

function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'renders', JOB), { recursive: true });
  writeFileSync(join(dir, 'project.json'), '{}');
  return dir;
}

function report() {
  const m = new CoherenceMeter({ boundaries: [2] });
  for (let t = 0; t < 4; t++) m.add({ width: 4, height: 4, data: new Uint8Array(48).fill(t) });
  return m.report();
}

describe('renders/<job>/coherence.json', () => {
  it('reads back what was written; a job without a report has none', async () => {
    const dir = project('round-trip');
    expect(await readCoherenceReport(dir, JOB)).toBeNull();
    await writeCoherenceReport(dir, JOB, report());
    expect(await readCoherenceReport(dir, JOB)).toEqual(report());
  });

  it('refuses a file that is not a report, naming it and what to do', async () => {
    const dir = project('hostile');
    const file = join(dir, 'renders', JOB, 'coherence.json');
    writeFileSync(file, '{"version": 1, "frames": ');
    await expect(readCoherenceReport(dir, JOB)).rejects.toThrow(
      /coherence\.json is not readable JSON \(render again/,
    );
    writeFileSync(file, JSON.stringify({ ...report(), frames: 1e308 }));
    await expect(readCoherenceReport(dir, JOB)).rejects.toThrow(/not a coherence report/);
    writeFileSync(file, JSON.stringify({ ...report(), meanStep: 'NaN' }));
    await expect(readCoherenceReport(dir, JOB)).rejects.toThrow(/meanStep/);
    truncateSync(file, 200 * 1024 ** 2); // sparse: no disk used, never read into memory
    await expect(readCoherenceReport(dir, JOB)).rejects.toThrow(/200 MB, too big/);
  });

  it('does not follow a link out of the project, nor a job id that is a path', async () => {
    const dir = project('link');
    const outside = join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify(report()));
    symlinkSync(outside, join(dir, 'renders', JOB, 'coherence.json'));
    await expect(readCoherenceReport(dir, JOB)).rejects.toThrow();
    await expect(readCoherenceReport(dir, '../../etc')).rejects.toThrow(/not a render job id/);
  });
});
