/**
 * Generates the sample assets (ours, MIT like the code): the character "Sprout" as SVG and PNG
 * with its reference pose, and the sample project with the keyframed motions wave, walk, jump and
 * dance. Run from the repository root: `npx tsx assets/scripts/makeSamples.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import sharp from 'sharp';
import { MOTIONS } from './motions';
import { REFERENCE, SIZE, pose, toPoints } from './sampleRig';

const root = join(import.meta.dirname, '..');
const FPS = 24;
/** A keyframe every 3 frames (8 per second): smooth with linear easing, files stay small. */
const KEY_EVERY = 3;

type P = [number, number];
const BACKGROUND = `<rect width="${SIZE}" height="${SIZE}" fill="url(#sky)"/>
  <circle cx="430" cy="70" r="34" fill="#ffe27a"/>
  <ellipse cx="256" cy="470" rx="80" ry="10" fill="#6f9e52" opacity="0.6"/>`;
const R = REFERENCE;
const line = (a: P, b: P, w: number, color: string) =>
  `<line x1="${a[0]}" y1="${a[1]}" x2="${b[0]}" y2="${b[1]}" stroke="${color}" stroke-width="${w}" stroke-linecap="round"/>`;

/** The character's own shapes, without sky, sun and ground (the mask is drawn from these). */
function characterSvg(withBackground = true): string {
  const [nose, neck, rS, rE, rW, lS, lE, lW, rH, rK, rA, lH, lK, lA] = R as P[];
  const torso = `M${rS![0] - 6},${rS![1] - 4} L${lS![0] + 6},${lS![1] - 4} L${lH![0] + 12},${lH![1] + 8} L${rH![0] - 12},${rH![1] + 8} Z`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#cfe8ff"/><stop offset="0.78" stop-color="#f4f9ff"/>
      <stop offset="0.78" stop-color="#b9d99a"/><stop offset="1" stop-color="#8fc06b"/>
    </linearGradient>
  </defs>
  ${withBackground ? BACKGROUND : ''}
  <g id="legs">
    ${line(rH!, rK!, 36, '#3b5b8c')}${line(rK!, rA!, 32, '#3b5b8c')}
    ${line(lH!, lK!, 36, '#3b5b8c')}${line(lK!, lA!, 32, '#3b5b8c')}
    <ellipse cx="${R[22]![0] + 4}" cy="${R[23]![1] + 6}" rx="22" ry="11" fill="#5a3825"/>
    <ellipse cx="${R[19]![0] - 4}" cy="${R[20]![1] + 6}" rx="22" ry="11" fill="#5a3825"/>
  </g>
  <path d="${torso}" fill="#e8683f" stroke="#c4512d" stroke-width="4" stroke-linejoin="round"/>
  <path d="M${rS![0] + 30},${rS![1] + 10} q${neck![0] - rS![0] - 30},22 ${2 * (neck![0] - rS![0] - 30)},0" fill="none" stroke="#fff3d6" stroke-width="5"/>
  <g id="arms">
    ${line(rS!, rE!, 28, '#e8683f')}${line(rE!, rW!, 22, '#f2c29b')}
    ${line(lS!, lE!, 28, '#e8683f')}${line(lE!, lW!, 22, '#f2c29b')}
    <circle cx="${rW![0]}" cy="${rW![1] + 10}" r="15" fill="#f2c29b"/>
    <circle cx="${lW![0]}" cy="${lW![1] + 10}" r="15" fill="#f2c29b"/>
  </g>
  ${line(neck!, [neck![0], neck![1] - 16], 20, '#f2c29b')}
  <g id="head">
    <circle cx="${nose![0]}" cy="${nose![1] - 6}" r="40" fill="#f2c29b"/>
    <path d="M${nose![0] - 42},${nose![1] - 10} q0,-48 42,-50 q42,2 42,50 q-12,-26 -42,-28 q-30,2 -42,28 Z" fill="#4a2f1d"/>
    <path d="M${nose![0] + 2},${nose![1] - 56} q10,-22 26,-16 q-12,4 -20,18 Z" fill="#4fa04a"/>
    <circle cx="${R[14]![0]}" cy="${R[14]![1]}" r="5" fill="#222"/>
    <circle cx="${R[15]![0]}" cy="${R[15]![1]}" r="5" fill="#222"/>
    <circle cx="${R[14]![0] - 8}" cy="${R[14]![1] + 14}" r="6" fill="#f19a8a" opacity="0.7"/>
    <circle cx="${R[15]![0] + 8}" cy="${R[15]![1] + 14}" r="6" fill="#f19a8a" opacity="0.7"/>
    <path d="M${nose![0] - 12},${nose![1] + 14} q12,12 24,0" fill="none" stroke="#8a3b2a" stroke-width="3.5" stroke-linecap="round"/>
  </g>
</svg>
`;
}

function track(id: string) {
  const m = MOTIONS[id]!;
  const frames = Math.round(m.seconds * FPS);
  const keyframes = [];
  for (let f = 0; f <= frames; f += KEY_EVERY) {
    keyframes.push({
      id: `${id}-${f}`,
      frame: f,
      points: toPoints(pose(m.at(f / FPS))),
      easing: { kind: 'linear' },
    });
  }
  return {
    id,
    name: m.name,
    width: SIZE,
    height: SIZE,
    fps: FPS,
    people: [{ personId: 0, name: 'Sprout', keyframes }],
  };
}

/** JSON formatted the way the repository's prettier check expects. */
async function writeJson(file: string, value: unknown) {
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value), { ...config, filepath: file }));
}

async function main() {
  const svg = characterSvg();
  const charDir = join(root, 'characters');
  mkdirSync(charDir, { recursive: true });
  writeFileSync(join(charDir, 'sprout.svg'), svg);
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
  writeFileSync(join(charDir, 'sprout.png'), png);
  // Foreground mask (white = character) from the alpha of the character drawn alone.
  const mask = await sharp(Buffer.from(characterSvg(false)))
    .ensureAlpha()
    .extractChannel('alpha')
    .threshold(128)
    .png({ compressionLevel: 9 })
    .toBuffer();
  writeFileSync(join(charDir, 'sprout.mask.png'), mask);
  const referencePose = toPoints(R);
  await writeJson(join(charDir, 'sprout.pose.json'), {
    width: SIZE,
    height: SIZE,
    points: referencePose,
  });

  const projectDir = join(root, 'sample-project');
  mkdirSync(join(projectDir, 'assets'), { recursive: true });
  writeFileSync(join(projectDir, 'assets', 'sprout.png'), png);
  writeFileSync(join(projectDir, 'assets', 'sprout.mask.png'), mask);
  const project = {
    version: 1,
    name: 'Sprout sample',
    characters: [
      {
        id: 'sprout',
        name: 'Sprout',
        picture: 'assets/sprout.png',
        mask: 'assets/sprout.mask.png',
        referencePose,
        referenceFrames: [],
      },
    ],
    tracks: Object.keys(MOTIONS).map(track),
    output: { width: SIZE, height: SIZE, fps: FPS, range: { from: 0, to: 288 }, format: 'mp4' },
    generator: { id: 'puppet', params: { background: 'plate' } },
    render: {
      segmentLength: 24,
      overlap: 0,
      strategy: 'independent',
      seed: 0,
      characterId: 'sprout',
      trackId: 'dance',
    },
  };
  // Formatted as the repository's prettier check expects.
  await writeJson(join(projectDir, 'project.json'), project);
  console.log(
    `wrote assets/characters/sprout.{svg,png,pose.json} and assets/sample-project (${project.tracks.length} motions)`,
  );
}

await main();
