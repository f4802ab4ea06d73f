/**
 * Child process of the kill test: saves ever-changing projects into `argv[2]` as fast as it can
 * until it is killed. Prints "saved <n>" after each save so the parent knows writes are happening.
 */
import { PROJECT_VERSION, parseProject } from '#shared/project/index';
import { saveProject } from '#main/project/projectStore';

const dir = process.argv[2]!;
const points = (k: number) =>
  Array.from({ length: 408 }, (_, i) => (i % 3 === 2 ? 1 : (i * 7 + k) % 500) + k / 3);

for (let n = 0; ; n++) {
  const project = parseProject({
    version: PROJECT_VERSION,
    name: `save ${n}`,
    tracks: [
      {
        id: 't',
        name: 'T',
        width: 512,
        height: 512,
        people: [
          {
            personId: 0,
            keyframes: Array.from({ length: 150 }, (_, k) => ({
              id: `k${k}`,
              frame: k * 4,
              points: points(k + n),
            })),
          },
        ],
      },
    ],
  });
  await saveProject(dir, project);
  process.stdout.write(`saved ${n}\n`);
}
