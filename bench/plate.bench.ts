/**
 * Background plate benchmark on real pictures: the character's hole filled by the old push–pull
 * blur, by Telea inpainting (`fillBackground`, what the parts' hidden areas use) and by patch
 * inpainting (`fillBackground` with `textured`, what an opaque picture's plate uses), timed,
 * compared with OpenCV's own cv2.inpaint(INPAINT_TELEA) where Debian's python3-opencv is installed
 * (mean absolute difference in the hole, 0–255 levels: a check of our Telea; the patches copy
 * texture, so they differ from any smooth fill by the texture's grain), and drawn as a contact
 * sheet: docs/puppet/plate-contact-sheet.png.
 *
 * Run: npm run bench:plate  [-- --sheet docs/puppet/plate-contact-sheet.png]
 *
 * Holes: the skier's COCO segmentation polygon (ground truth), the product's own mask of the SPIN
 * baseball player (from its OpenPose keypoints), AnimatedDrawings' masks of char4 and char6 — each
 * grown by the 1 px layer ring puppetCharacter takes with the character, inpainted from beyond the
 * 2 px ring it ignores (PLATE_RING_PX).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { PLATE_RING_PX, setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import { importPoses } from '#shared/pose/formats/index';
import { fillBackground } from '#shared/puppet/backgroundFill';
import { dilate } from '#shared/puppet/mask';
import { pushPullFill } from './plate/pushPull';

const ROOT = resolve(import.meta.dirname, '..');
const REAL = resolve(ROOT, '../shared/fixtures');
const RADIUS = 3;
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const SHEET = resolve(ROOT, arg('sheet', 'docs/puppet/plate-contact-sheet.png'));

interface Case {
  name: string;
  width: number;
  height: number;
  rgb: Uint8Array;
  /** 1 where the character was (the layer puppetCharacter takes, before the ignored ring). */
  hole: Uint8Array;
}

async function rgbOf(path: string) {
  const { data, info } = await sharp(path)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

async function polygonMask(polygons: number[][], width: number, height: number) {
  const paths = polygons.map((p) => `<polygon points="${p.join(' ')}" fill="white"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${paths}</svg>`;
  const raw = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
  return Uint8Array.from(raw, (v) => (v > 127 ? 1 : 0));
}

async function skier(): Promise<Case> {
  const photo = join(REAL, 'photos/coco_val2017_000000000785.jpg');
  const { rgb, width, height } = await rgbOf(photo);
  const json = JSON.parse(
    readFileSync(join(REAL, 'photos/coco_val2017_000000000785_keypoints.json'), 'utf8'),
  ) as { annotations: { segmentation: number[][] }[] };
  const mask = await polygonMask(json.annotations[0]!.segmentation, width, height);
  return { name: 'skier (COCO polygon)', width, height, rgb, hole: dilate(mask, width, height, 1) };
}

async function baseball(): Promise<Case> {
  const photo = join(REAL, 'photos/spin_im1010.jpg');
  const { rgb, width, height } = await rgbOf(photo);
  const json: unknown = JSON.parse(
    readFileSync(join(REAL, 'poses/spin_im1010_openpose.json'), 'utf8'),
  );
  const pose = new Float64Array(
    importPoses(json, { pictureSize: { width, height } }).frames[0]!.people[0]!.points,
  );
  const character = await setupPuppetCharacter({ picturePath: photo, referencePose: pose });
  return {
    name: `baseball (product mask: ${character.maskSource})`,
    width,
    height,
    rgb,
    hole: dilate(character.mask, width, height, 1),
  };
}

async function drawing(id: string): Promise<Case> {
  const dir = join(REAL, 'drawings', id);
  const { rgb, width, height } = await rgbOf(join(dir, 'texture.png'));
  const m = await sharp(join(dir, 'mask.png')).greyscale().raw().toBuffer();
  const mask = Uint8Array.from(m, (v) => (v > 127 ? 1 : 0));
  return { name: `${id} (its mask)`, width, height, rgb, hole: dilate(mask, width, height, 1) };
}

const toFloat = (rgb: Uint8Array) => Float32Array.from(rgb, (v) => v / 255);
const toBytes = (f: Float32Array) =>
  Uint8Array.from(f, (v) => Math.max(0, Math.min(255, Math.round(v * 255))));

/** Median CPU time of a few runs after a first (cold) one, ms: CPU, not wall time, because the
 * bench machine is shared; the cold run is what a character set-up pays. */
function timed<T>(f: () => T, runs = 3): { value: T; ms: number; coldMs: number } {
  const cpu = (c0: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const c0 = process.cpuUsage();
  let value = f();
  const coldMs = cpu(c0);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c1 = process.cpuUsage();
    value = f();
    times.push(cpu(c1));
  }
  return { value, ms: times.sort((a, b) => a - b)[runs >> 1]!, coldMs };
}

function meanAbsInHole(a: Uint8Array, b: Uint8Array, hole: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < hole.length; i++)
    if (hole[i])
      for (let c = 0; c < 3; c++) {
        s += Math.abs(a[i * 3 + c]! - b[i * 3 + c]!);
        n++;
      }
  return n ? s / n : 0;
}

/** Runs OpenCV's Telea on every case's grown hole (ring included), if python3-opencv is there. */
function cv2Telea(cases: Case[], grown: Uint8Array[]): (Uint8Array | null)[] {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return cases.map(() => null);
  const dir = mkdtempSync(join(tmpdir(), 'plate-cv2-'));
  try {
    cases.forEach((c, k) => {
      writeFileSync(join(dir, `c${k}.rgb`), c.rgb);
      writeFileSync(join(dir, `c${k}.hole`), grown[k]!);
      writeFileSync(join(dir, `c${k}.size`), `${c.width} ${c.height}`);
    });
    try {
      execFileSync(py, [join(import.meta.dirname, 'plate/cv2Telea.py'), dir, String(RADIUS)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      console.log(`cv2 cross-check skipped (${(e as Error).message.split('\n')[0]})`);
      return cases.map(() => null);
    }
    return cases.map((c, k) => {
      const out = new Uint8Array(readFileSync(join(dir, `c${k}.cv2`)));
      // The ring's own pixels keep the picture's values, as in fillBackground.
      for (let i = 0; i < c.hole.length; i++)
        if (!c.hole[i]) for (let ch = 0; ch < 3; ch++) out[i * 3 + ch] = c.rgb[i * 3 + ch]!;
      return out;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tile(rgb: Uint8Array, w: number, h: number, label: string, height: number) {
  const scaled = await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .resize({ height, kernel: 'nearest' })
    .png()
    .toBuffer({ resolveWithObject: true });
  const width = scaled.info.width;
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="18"><rect width="100%" height="100%" fill="black"/><text x="4" y="13" font-family="sans-serif" font-size="12" fill="white">${label}</text></svg>`;
  const img = await sharp({
    create: { width, height: height + 18, channels: 3, background: { r: 0, g: 0, b: 0 } },
  })
    .composite([
      { input: Buffer.from(text), top: 0, left: 0 },
      { input: scaled.data, top: 18, left: 0 },
    ])
    .png()
    .toBuffer();
  return { img, width, height: height + 18 };
}

async function main() {
  const cases = [await skier(), await baseball(), await drawing('char4'), await drawing('char6')];
  const grown = cases.map((c) => dilate(c.hole, c.width, c.height, PLATE_RING_PX));
  const reference = cv2Telea(cases, grown);
  const rows: { img: Buffer; width: number; height: number }[][] = [];
  console.log(
    'case                              size      hole px  push–pull ms  Telea ms (cold)  |Telea−cv2|  |push–pull−cv2|  patches ms (cold)  |patches−cv2|   (CPU ms; mean abs diff in the hole, 0–255)',
  );
  for (const [k, c] of cases.entries()) {
    const n = c.width * c.height;
    const known = Uint8Array.from(c.hole, (v) => (v ? 0 : 1));
    const rgb = toFloat(c.rgb);
    const knownBeyondRing = Uint8Array.from(grown[k]!, (v) => (v ? 0 : 1));
    const before = timed(() => pushPullFill(rgb, knownBeyondRing, c.width, c.height));
    const after = timed(() =>
      fillBackground(rgb, known, c.width, c.height, { ignoreRing: PLATE_RING_PX }),
    );
    const textured = timed(() =>
      fillBackground(rgb, known, c.width, c.height, { ignoreRing: PLATE_RING_PX, textured: true }),
    );
    // Before, as the puppet used it: the ring's pixels keep the picture's values.
    const beforeBytes = toBytes(before.value);
    for (let i = 0; i < n; i++)
      if (!c.hole[i]) for (let ch = 0; ch < 3; ch++) beforeBytes[i * 3 + ch] = c.rgb[i * 3 + ch]!;
    const afterBytes = toBytes(after.value);
    const texturedBytes = toBytes(textured.value);
    const cv = reference[k];
    const holePx = c.hole.reduce((s, v) => s + v, 0);
    const mad = (x: Uint8Array) => (cv ? meanAbsInHole(x, cv, c.hole).toFixed(2) : 'n/a');
    console.log(
      `${c.name.padEnd(34)}${`${c.width}×${c.height}`.padEnd(10)}${String(holePx).padStart(8)}` +
        `${before.ms.toFixed(1).padStart(13)}${after.ms.toFixed(1).padStart(10)}${`(${after.coldMs.toFixed(0)})`.padStart(7)}` +
        `${mad(afterBytes).padStart(14)}${mad(beforeBytes).padStart(17)}` +
        `${textured.ms.toFixed(1).padStart(12)}${`(${textured.coldMs.toFixed(0)})`.padStart(7)}${mad(texturedBytes).padStart(14)}`,
    );
    const shown = new Uint8Array(c.rgb);
    for (let i = 0; i < n; i++) if (c.hole[i]) shown.set([255, 0, 255], i * 3);
    const H = 220;
    const row = [
      await tile(c.rgb, c.width, c.height, c.name, H),
      await tile(shown, c.width, c.height, 'hole', H),
      await tile(beforeBytes, c.width, c.height, 'before: push–pull', H),
      await tile(afterBytes, c.width, c.height, 'Telea (hidden areas)', H),
      await tile(texturedBytes, c.width, c.height, 'patches (the plate)', H),
    ];
    if (cv) row.push(await tile(cv, c.width, c.height, 'cv2.inpaint TELEA', H));
    rows.push(row);
  }
  const width = Math.max(...rows.map((r) => r.reduce((s, t) => s + t.width + 4, 0)));
  const height = rows.reduce((s, r) => s + r[0]!.height + 4, 0);
  const parts: OverlayOptions[] = [];
  let top = 0;
  for (const r of rows) {
    let left = 0;
    for (const t of r) {
      parts.push({ input: t.img, top, left });
      left += t.width + 4;
    }
    top += r[0]!.height + 4;
  }
  await sharp({ create: { width, height, channels: 3, background: { r: 40, g: 40, b: 40 } } })
    .composite(parts)
    .png()
    .toFile(SHEET);
  console.log(`contact sheet: ${SHEET}`);
}

void main();
