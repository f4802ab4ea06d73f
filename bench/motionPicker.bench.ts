/**
 * The guided path's service calls, as the studio makes them: the motion picker's list (the four
 * shipped motions with their looping previews), one whole motion, picking it onto a character
 * (retarget), and Open sample's copy of the Sprout project.
 *
 *   npm run bench:motion-picker
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { characterPoseFrame, toPoseTrack } from '#shared/project/convert';
import { motionForCharacter } from '#shared/pose/motions/motionPick';
import { copySample, SAMPLE_PROJECT_DIR } from '#main/project/sampleCopy';
import { loadProject } from '#main/project/projectStore';
import { motionHandlers } from '#main/services/api/motions';

const h = motionHandlers({ project: () => null });
const time = async <T>(runs: number, f: () => Promise<T> | T): Promise<[number, T]> => {
  let out = await f(); // warm-up
  const t = performance.now();
  for (let i = 0; i < runs; i++) out = await f();
  return [(performance.now() - t) / runs, out];
};

const [listMs, list] = await time(20, () => h['motions.list']());
console.log(
  `motions.list: ${listMs.toFixed(1)} ms, ${(JSON.stringify(list).length / 1024).toFixed(1)} KiB on the wire (${list.length} motions, ${list.reduce((n, m) => n + m.preview.frames.length, 0)} preview frames)`,
);
const [getMs, dance] = await time(20, () => h['motions.get']({ source: 'shipped', id: 'dance' }));
console.log(
  `motions.get dance: ${getMs.toFixed(1)} ms, ${(JSON.stringify(dance).length / 1024).toFixed(1)} KiB`,
);
const { project } = await loadProject(SAMPLE_PROJECT_DIR);
const character = characterPoseFrame(project.characters[0]!, { width: 512, height: 512 });
const motion = toPoseTrack(dance);
const [pickMs] = await time(50, () =>
  motionForCharacter(motion, { motion: dance.fps, project: 24 }, character),
);
console.log(
  `pick (retarget ${motion.people[0]!.keyframes.length} keys onto Sprout): ${pickMs.toFixed(2)} ms`,
);
const dir = mkdtempSync(join(tmpdir(), 'bench-sample-'));
let n = 0;
const [copyMs] = await time(10, () => copySample(join(dir, `copy-${++n}`)));
console.log(`Open sample copy: ${copyMs.toFixed(1)} ms per copy`);
rmSync(dir, { recursive: true, force: true });
