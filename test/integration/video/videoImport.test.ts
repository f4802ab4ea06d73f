/**
 * Video import through the real ApiService, project store, ffmpeg and engine process, on videos
 * made from the real fixture photos: two people to choose from, progress, the chosen person
 * retargeted onto Sprout at the project's frame rate, the sound kept for the render; cancel and a
 * killed engine leave the project as it was; hostile files are refused in words.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/errors';
import type { Character } from '#shared/api/model';
import {
  VIDEO_PART_BYTES,
  type VideoImportStatus,
  type VideoMotion,
} from '#shared/api/videoImport';
import type { EngineClient } from '#main/engine/client/engineClient';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { ApiService } from '#main/services/api/apiService';
import { projectStoreAdapter } from '#main/services/api/projectAdapter';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { studioVideoTools } from '#main/services/videoImport/videoHandlers';
import {
  hugeVideo,
  noFrameVideo,
  onePersonVideo,
  PLAYER,
  truncatedVideo,
  twoPeopleVideo,
} from '#test/helpers/video/drivingVideos';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'ps-video-'));
const project = join(work, 'sample-project');
const settings = new SettingsService(memorySettingsBackend());
/** Every engine the imports started, so a test can kill the one posing its frames. */
const engines: EngineClient[] = [];
let api: ApiService;
let twoPeople: string;

beforeAll(async () => {
  cpSync(join(ROOT, 'assets', 'sample-project'), project, { recursive: true });
  const tools = studioVideoTools(settings);
  api = new ApiService({
    mode: 'browser',
    version: '0.0.0',
    platform: 'linux',
    settings,
    shell: { openFolder: async () => false },
    projects: projectStoreAdapter(),
    videoTools: () => {
      const t = tools();
      return {
        ...t,
        startEngine: async () => {
          const e = await t.startEngine();
          engines.push(e);
          return e;
        },
      };
    },
  });
  await api.call('projects.open', { folder: project });
  twoPeople = await twoPeopleVideo(work);
}, 120_000);
afterAll(async () => {
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

let uploads = 0;
async function upload(file: string, name = file.split('/').pop()!): Promise<VideoImportStatus> {
  const bytes = readFileSync(file);
  const uploadId = `test-upload-${++uploads}`;
  for (let offset = 0; offset < bytes.length; offset += VIDEO_PART_BYTES)
    await api.call('video.uploadPart', {
      uploadId,
      offset,
      total: bytes.length,
      dataBase64: bytes.subarray(offset, offset + VIDEO_PART_BYTES).toString('base64'),
    });
  return (await api.call('video.startImport', { uploadId, fileName: name })) as VideoImportStatus;
}

async function until(
  importId: string,
  done: (s: VideoImportStatus) => boolean,
  seen: VideoImportStatus[] = [],
): Promise<VideoImportStatus> {
  for (;;) {
    const s = (await api.call('video.importStatus', { importId })) as VideoImportStatus;
    seen.push(s);
    if (done(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const projectJson = () => readFileSync(join(project, 'project.json'), 'utf8');
const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const tempUploads = () => readdirSync(tmpdir()).filter((n) => n.startsWith('pose-studio-video-'));

describe('video import in the studio', { timeout: 300_000 }, () => {
  it('extracts two people with progress, retargets the chosen one and keeps the sound', async () => {
    const before = projectJson();
    const started = await upload(twoPeople, 'two people.mp4');
    expect(started).toMatchObject({ state: 'extracting', width: 758, height: 340, hasAudio: true });
    expect(started.fps).toBe(6); // the video's rate (below the project's 24)
    const seen: VideoImportStatus[] = [];
    const done = await until(started.importId, (s) => s.state !== 'extracting', seen);
    expect(done.state, done.message).toBe('done');
    expect(done.frame).toBe(6);
    // Progress went up frame by frame, never past the total.
    const frames = seen.map((s) => s.frame);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    expect(seen.every((s) => s.frame <= s.total)).toBe(true);
    // Both people are offered, each with a box on the still: the skier left, the player right.
    expect(done.people.length).toBeGreaterThanOrEqual(2);
    const boxes = done.people.map((p) => p.box!);
    expect(boxes.every((b) => b && b.width > 20 && b.height > 100)).toBe(true);
    const centres = boxes.map((b) => b.x + b.width / 2).sort((a, b) => a - b);
    expect(centres[0]).toBeLessThan(480);
    expect(centres.at(-1)).toBeGreaterThan(520);
    expect(done.still?.dataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    // Nothing reached the project yet.
    expect(projectJson()).toBe(before);

    const right = done.people.find((p) => p.box!.x > 500)!;
    const motion = (await api.call('video.motion', {
      importId: done.importId,
      personId: right.id,
    })) as VideoMotion;
    expect(motion.retargeted).toBe(true);
    expect(motion.track.fps).toBe(24);
    // Retargeted onto Sprout: on the character picture's canvas, not the video's.
    const c = (await api.call('character.get', {})) as Character;
    expect([motion.track.width, motion.track.height]).toEqual([c.pictureWidth, c.pictureHeight]);
    expect(motion.track.people).toHaveLength(1);
    const keys = motion.track.people[0]!.keyframes;
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys[0]!.frame).toBe(0);
    // 6 frames at 6 fps = 1 s = frames 0…20 of the project (5 × 24/6)
    expect(keys.at(-1)!.frame).toBeLessThanOrEqual(20);
    expect(motion.maxError).toBeLessThanOrEqual(2);
    expect(projectJson()).toBe(before); // the editor saves the track, not this call

    const { audio } = (await api.call('video.keepAudio', { importId: done.importId })) as {
      audio: string;
    };
    const saved = JSON.parse(projectJson()) as { output: { audio?: string } };
    expect(saved.output.audio).toBe(audio);
    // The sound alone, copied: one AAC stream about a second long.
    const { stdout } = await run(resolveFfprobe(resolveFfmpeg()), [
      '-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration',
      '-of', 'json', join(project, audio),
    ]); // prettier-ignore
    const probe = JSON.parse(stdout) as {
      streams: { codec_type: string; codec_name: string }[];
      format: { duration: string };
    };
    expect(probe.streams).toEqual([{ codec_type: 'audio', codec_name: 'aac' }]);
    expect(Number(probe.format.duration)).toBeCloseTo(1, 0);
  });

  it('cancel stops ffmpeg and the engine at once and leaves the project as it was', async () => {
    const before = projectJson();
    const long = await onePersonVideo(work, 120);
    const started = await upload(long);
    await until(started.importId, (s) => s.frame >= 2 || s.state !== 'extracting');
    const engine = engines.at(-1)!;
    const { pid } = await engine.info();
    const t0 = Date.now();
    const cancelled = (await api.call('video.cancelImport', {
      importId: started.importId,
    })) as VideoImportStatus;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.frame).toBeLessThan(120);
    expect(pidAlive(pid)).toBe(false);
    expect(projectJson()).toBe(before);
    expect(tempUploads().length).toBeLessThanOrEqual(1); // only the finished two-people import
    const e = await rejection(
      api.call('video.motion', { importId: started.importId, personId: 0 }),
    );
    expect(e.message).toMatch(/cancelled, not done/);
  });

  it('an engine killed midway fails the import in words and changes nothing', async () => {
    const before = projectJson();
    const started = await upload(await onePersonVideo(work, 60));
    await until(started.importId, (s) => s.frame >= 1 || s.state !== 'extracting');
    const { pid } = await engines.at(-1)!.info();
    process.kill(pid, 'SIGKILL');
    const end = await until(started.importId, (s) => s.state !== 'extracting');
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/engine stopped while posing the video.*import the video again/);
    expect(projectJson()).toBe(before);
  });

  it('refuses what is not a video, in words, and deletes the upload', async () => {
    const before = projectJson();
    const text = join(work, 'notes.mp4');
    writeFileSync(text, 'these are my notes, not a film\n'.repeat(50));
    const bad = await rejection(upload(text));
    expect(bad.code).toBe('bad-request');
    expect(bad.message).toMatch(/^notes\.mp4 is not a video Pose Studio can read/);
    expect(bad.message).not.toMatch(/pose-studio-video-/); // no temp path the user never saw
    const picture = await rejection(upload(PLAYER, 'player.jpg'));
    expect(picture.message).toBe('player.jpg is a picture, not a video');
    expect(picture.hint).toMatch(/Character view/);
    const noFrames = await rejection(upload(await noFrameVideo(work)));
    expect(noFrames.message).toMatch(/no-frames\.mkv is not a video Pose Studio can read/);
    const truncated = truncatedVideo(twoPeople, work);
    const cut = await upload(truncated).then(
      (s) => until(s.importId, (x) => x.state !== 'extracting'),
      (e: unknown) => e,
    );
    // A cut MP4 loses its index (refused at once) or its last frames (fails while decoding).
    if (cut instanceof ApiError) expect(cut.message).toMatch(/truncated\.mp4 is not a video/);
    else expect(cut).toMatchObject({ state: expect.stringMatching(/failed|done/) });
    expect(projectJson()).toBe(before);
  });

  it('a 20000-pixel-wide video is decoded small and says nobody was found', async () => {
    const started = await upload(await hugeVideo(work));
    expect(started.width).toBe(20000);
    const end = await until(started.importId, (s) => s.state !== 'extracting');
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/nobody was found in huge\.avi/);
  });

  it('refuses uploads out of order, over the limit or incomplete', async () => {
    const part = Buffer.from('abc').toString('base64');
    const id = 'hostile-upload-1';
    await api.call('video.uploadPart', { uploadId: id, offset: 0, total: 9, dataBase64: part });
    const skip = await rejection(
      api.call('video.uploadPart', { uploadId: id, offset: 6, total: 9, dataBase64: part }),
    );
    expect(skip.message).toMatch(/out of order/);
    const big = await rejection(
      api.call('video.uploadPart', {
        uploadId: 'hostile-upload-2',
        offset: 0,
        total: 3 * 1024 ** 3,
        dataBase64: part,
      }),
    );
    expect(big.code).toBe('bad-request');
    await api.call('video.uploadPart', {
      uploadId: 'hostile-upload-3',
      offset: 0,
      total: 9,
      dataBase64: part,
    });
    const partial = await rejection(
      api.call('video.startImport', { uploadId: 'hostile-upload-3', fileName: 'x.mp4' }),
    );
    expect(partial.message).toMatch(/incomplete \(3 of 9 bytes\)/);
    const nan = await rejection(
      api.call('video.uploadPart', {
        uploadId: 'hostile-upload-4',
        offset: Number.NaN,
        total: 9,
        dataBase64: part,
      }),
    );
    expect(nan.code).toBe('bad-request');
    const unknown = await rejection(api.call('video.importStatus', { importId: 'never-started' }));
    expect(unknown.code).toBe('not-found');
  });
});
