/**
 * `npm run bench:masks`: the character mask on real photos and a real drawing against ground
 * truth (IoU), for each way the engine can make one: the flood fill of a flat background, each
 * vendored person-segmentation model (assets/models/person-segmentation) (load and run time apart), and the mask the
 * engine actually chooses. Writes docs/puppet/masks_photos.png: photo | truth | ours | overlay
 * (green both, red ours only, blue missed).
 */
import { resolve } from 'node:path';
import sharp from 'sharp';
import { chooseCharacterMask, floodFill, segmentPerson } from '#main/engine/mask/characterMask';
import {
  DEFAULT_SEGMENTATION_MODEL,
  SEGMENTATION_MODELS,
  type SegmentationModelName,
  personSegmenter,
} from '#main/engine/mask/personSegmenter';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { keepCharacterComponents, maskFromPose } from '#shared/puppet/mask';
import { maskIoU } from '#shared/puppet/maskRefine';
import { DRAWING_CASES, PHOTO_CASES, ROOT, caseReference } from './masks/photoCases';

const SHEET = resolve(ROOT, 'docs/puppet/masks_photos.png');
const TILE = 256;

function fmt(v: number | undefined, digits = 3) {
  return v === undefined ? '   —  ' : v.toFixed(digits);
}

async function tile(rgb: Uint8Array, w: number, h: number): Promise<Buffer> {
  return sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .resize(TILE, TILE, { fit: 'contain', background: '#202020', kernel: 'nearest' })
    .png()
    .toBuffer();
}

function maskRgb(m: Uint8Array): Uint8Array {
  const out = new Uint8Array(m.length * 3);
  for (let i = 0; i < m.length; i++) out.fill(m[i] ? 255 : 0, i * 3, i * 3 + 3);
  return out;
}

function overlay(rgba: Uint8Array, ours: Uint8Array, truth: Uint8Array): Uint8Array {
  const out = new Uint8Array(ours.length * 3);
  for (let i = 0; i < ours.length; i++) {
    const tint =
      ours[i] && truth[i] ? [0, 200, 0] : ours[i] ? [230, 0, 0] : truth[i] ? [0, 80, 255] : null;
    for (let c = 0; c < 3; c++) {
      const v = rgba[i * 4 + c]! * 0.45;
      out[i * 3 + c] = tint ? Math.round(v + tint[c]! * 0.55) : Math.round(v);
    }
  }
  return out;
}

const models = Object.keys(SEGMENTATION_MODELS) as SegmentationModelName[];
console.log(`mask IoU against ground truth (product model: ${DEFAULT_SEGMENTATION_MODEL})`);
console.log(
  'case'.padEnd(52) +
    'chosen'.padEnd(24) +
    'flood  pose   ' +
    models.map((m) => m.padEnd(17)).join(''),
);
const rows: Buffer[][] = [];
const failures: string[] = [];
for (const c of [...PHOTO_CASES, ...DRAWING_CASES]) {
  const pic = await loadPicture(c.photo);
  const { width: W, height: H } = pic;
  const ref = await caseReference(c, W, H);
  const truth = await c.truth(W, H);
  const keep = (m: Uint8Array) => keepCharacterComponents(m, W, H, ref);
  const flood = floodFill(pic, ref);
  const perModel: string[] = [];
  for (const name of models) {
    const segmenter = await personSegmenter(name);
    const found = await segmentPerson(pic, ref, segmenter);
    const iou = maskIoU(keep(found.mask), truth);
    perModel.push(
      `${fmt(iou)} ${Math.round(segmenter.loadMs)}/${Math.round(found.runMs)}ms`.padEnd(17),
    );
  }
  const t0 = performance.now();
  const chosen = await chooseCharacterMask(pic, ref);
  const ms = performance.now() - t0;
  const iou = maskIoU(chosen.mask, truth);
  if (iou < c.target) failures.push(`${c.name}: IoU ${iou.toFixed(3)} < ${c.target}`);
  console.log(
    c.name.padEnd(52) +
      `${chosen.source} ${fmt(iou)}`.padEnd(24) +
      `${fmt(flood ? maskIoU(keep(flood), truth) : undefined)}  ${fmt(maskIoU(keep(maskFromPose(W, H, ref)), truth))}  ` +
      perModel.join(''),
  );
  console.log(
    `  chosen in ${Math.round(ms)} ms` +
      (chosen.segmentation
        ? ` (model ${chosen.segmentation.model}: load ${Math.round(chosen.segmentation.loadMs)} ms once per engine, run ${Math.round(chosen.segmentation.runMs)} ms)`
        : '') +
      `; warnings: ${chosen.warnings.map((w) => w.code).join(', ') || 'none'}`,
  );
  const rgb = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = pic.data[i * 4 + k]!;
  rows.push([
    await tile(rgb, W, H),
    await tile(maskRgb(truth), W, H),
    await tile(maskRgb(chosen.mask), W, H),
    await tile(overlay(pic.data, chosen.mask, truth), W, H),
  ]);
}
await sharp({
  create: { width: TILE * 4, height: TILE * rows.length, channels: 3, background: '#202020' },
})
  .composite(
    rows.flatMap((r, y) => r.map((input, x) => ({ input, left: x * TILE, top: y * TILE }))),
  )
  .png()
  .toFile(SHEET);
console.log(
  `contact sheet: ${SHEET} (photo | truth | ours | overlay: green both, red ours only, blue missed)`,
);
if (failures.length > 0) {
  console.log(`below target:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}

// The same photos rendered by the puppet, before and now.
const { renderSheet } = await import('./masks/renderSheet');
await renderSheet();

// Feet the model stopped short of: the truth cut at the ankles, walked, before and after completion.
const { feetSheet } = await import('./masks/feetSheet');
await feetSheet();

// A drawing photographed on paper, uncropped: the model's blob and the drawn lines.
const { drawingSheet } = await import('./masks/drawingSheet');
await drawingSheet();
