/**
 * Accuracy of the built-in extractor, measured (PCK@0.1 of the torso size per body part):
 *  1. on the real photos against their ground truth (COCO annotation, OpenPose output);
 *  2. on puppet videos: each photo animated by the puppet generator with known driving poses,
 *     encoded to H.264, decoded and extracted back, compared with the driving poses frame by frame.
 * The thresholds sit a little under the measured values (see docs/extraction.md), so a
 * regression in decoding, mapping or coordinate scaling fails here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '#main/engine/client/engineClient';
import { createBuiltinExtractor } from '#main/engine/extract/builtinExtractor';
import type { PoseExtractor } from '#main/engine/extract/extractor';
import { extractPicture, extractVideo } from '#main/engine/extract/extractPoses';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { PckTally } from '#shared/extract/pck';
import {
  ALL_BODY,
  drivingPoses,
  formatPck,
  groundTruthPhotos,
  pckByPart,
  renderPuppetVideo,
  type GroundTruthPhoto,
} from './accuracy';

const FRAMES = 12;
let dir: string;
let engine: EngineClient;
let photos: GroundTruthPhoto[];
let full: PoseExtractor;
let bodyOnly: PoseExtractor;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extract-accuracy-'));
  photos = await groundTruthPhotos();
  engine = await EngineClient.start({ modelCacheDir: join(dir, 'models') });
  full = await createBuiltinExtractor();
  // The videos are scored on the body only: hands and face add time, not body accuracy.
  bodyOnly = await createBuiltinExtractor({ hands: false, face: false });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('built-in extractor accuracy', () => {
  it('on the real photos vs their ground truth', async () => {
    const expected = [0.75, 0.9];
    for (const [i, photo] of photos.entries()) {
      const r = await extractPicture(photo.picture, full);
      expect(r.frames[0]!.people).toHaveLength(1);
      const tally = new PckTally();
      tally.add(r.frames[0]!.people[0]!.points, photo.pose, ALL_BODY);
      const pck = pckByPart(tally);
      console.log(formatPck(`photo: ${photo.name}`, pck));
      expect(pck.all).toBeGreaterThanOrEqual(expected[i]!);
    }
    // The face mesh gives the skier a face (68 landmarks + pupils).
    const skier = await extractPicture(photos[0]!.picture, full);
    const face = skier.frames[0]!.people[0]!.points;
    let facePoints = 0;
    for (let k = 24; k < 94; k++) if (face[k * 3 + 2]! > 0) facePoints++;
    expect(facePoints).toBe(70);
  }, 60_000);

  it('on puppet videos of the photos (driving poses = ground truth)', async () => {
    const ff = resolveFfmpeg();
    for (const photo of photos) {
      const poses = drivingPoses(photo.pose, FRAMES);
      const video = join(dir, 'puppet.mp4');
      await renderPuppetVideo(engine, photo, poses, video);
      const probe = await probeVideo(resolveFfprobe(ff), video);
      const r = await extractVideo({
        ffmpeg: ff.path,
        file: video,
        probe,
        extractor: bodyOnly,
        smoothing: null,
      });
      expect(r.frames).toHaveLength(FRAMES);
      const tally = new PckTally();
      r.frames.forEach((f, i) => tally.add(f.people[0]?.points ?? null, poses[i]!, ALL_BODY));
      const pck = pckByPart(tally);
      console.log(formatPck(`puppet video: ${photo.name}`, pck));
      expect(pck.all).toBeGreaterThanOrEqual(0.7);
      expect(pck.head).toBeGreaterThanOrEqual(0.9);
    }
  }, 120_000);

  it('two people in one picture (the photos side by side): both found, each near its truth', async () => {
    const [skier, spin] = photos;
    const scale = 425 / 192;
    const spinBig = await sharp(spin!.picture).resize({ height: 425 }).toBuffer();
    const both = join(dir, 'two.png');
    await sharp(skier!.picture)
      .extend({ right: 360, background: '#ffffff' })
      .composite([{ input: spinBig, left: 660, top: 0 }])
      .png()
      .toFile(both);
    const spinTruth = new Float64Array(spin!.pose);
    for (let i = 0; i < spinTruth.length; i += 3) {
      spinTruth[i] = spinTruth[i]! * scale + 660;
      spinTruth[i + 1] = spinTruth[i + 1]! * scale;
    }
    const r = await extractPicture(both, full);
    const people = r.frames[0]!.people.map((p) => p.points);
    expect(people).toHaveLength(2);
    // Left-most nose first: the skier, then the baseball player.
    people.sort((a, b) => a[0]! - b[0]!);
    for (const [i, truth] of [skier!.pose, spinTruth].entries()) {
      const tally = new PckTally();
      tally.add(people[i]!, truth, ALL_BODY);
      const pck = pckByPart(tally);
      console.log(formatPck(`two people: ${photos[i]!.name}`, pck));
      expect(pck.all).toBeGreaterThanOrEqual(0.7);
    }
  }, 60_000);
});
