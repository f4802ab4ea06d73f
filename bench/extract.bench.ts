/**
 * Pose extraction benchmark: frames/s at 512² on CPU per extractor and peak resident memory
 * (Linux VmHWM), each measurement in its own process so its peak is its own.
 *
 *   builtin            MoveNet-Lightning + hands + face mesh/irises (tfjs-wasm), as shipped
 *   builtin-body       the same, body only (what --no face/hands would cost)
 *   builtin-video      builtin as shipped on a 512² video (2 s, 12 fps) end to end: decode, follow
 *                      known people, CenterNet every 5th frame, track, smooth
 *   dwpose-tiny        DWPose code path on the tiny stand-in pack: pre/post-processing and ORT
 *                      overhead only — real yolox_l + dw-ll_ucoco_384 weights are far heavier
 *   video-4k60         import of a 4K 60 fps clip (2 s) with builtin-body: decode downscaled to
 *                      1280 px, track, smooth — peak memory of the whole import
 *
 * Usage: npm run bench:extract [-- --frames N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createBuiltinExtractor } from '#main/engine/extract/builtinExtractor';
import { createDwposeExtractor } from '#main/engine/extract/dwposeExtractor';
import type { PoseExtractor } from '#main/engine/extract/extractor';
import { extractVideo } from '#main/engine/extract/extractPoses';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { writeTinyDwposePack } from '#test/integration/extract/tinyDwposePack';

const PHOTO = '/work/shared/fixtures/photos/coco_val2017_000000000785.jpg';
const CASES = ['builtin', 'builtin-body', 'builtin-video', 'dwpose-tiny', 'video-4k60'] as const;
type Case = (typeof CASES)[number];

async function peakMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

/** CPU seconds this process used since `start` (the wall clock lies on a shared machine). */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

async function picture512() {
  const { data, info } = await sharp(PHOTO)
    .resize(512, 512, { fit: 'contain', background: '#808080' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

async function framesPerSecond(ex: PoseExtractor, frames: number) {
  const image = await picture512();
  for (let i = 0; i < 3; i++) await ex.extract(image); // warm-up (wasm compile, kernels)
  const t = performance.now();
  const cpu = process.cpuUsage();
  let people = 0;
  for (let i = 0; i < frames; i++) people += (await ex.extract(image)).length;
  const s = (performance.now() - t) / 1000;
  return { fps: frames / s, cpuFps: frames / cpuSeconds(cpu), people: people / frames };
}

async function runOne(name: Case, frames: number): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-extract-'));
  try {
    if (name === 'builtin' || name === 'builtin-body') {
      const ex = await createBuiltinExtractor(
        name === 'builtin' ? {} : { face: false, hands: false },
      );
      const r = await framesPerSecond(ex, frames);
      return { ...r, peakMb: await peakMb() };
    }
    if (name === 'dwpose-tiny') {
      const ex = await createDwposeExtractor(await writeTinyDwposePack(join(dir, 'pack')));
      const r = await framesPerSecond(ex, frames);
      await ex.close();
      return { ...r, peakMb: await peakMb() };
    }
    const bin = resolveFfmpeg();
    if (name === 'builtin-video') {
      const video = join(dir, 'v512.mp4');
      execFileSync(bin.path, [
        '-v',
        'error',
        '-y',
        '-loop',
        '1',
        '-i',
        PHOTO,
        '-t',
        '2',
        '-r',
        '12',
        '-vf',
        "scale=512:512:force_original_aspect_ratio=decrease,pad=512:512:(ow-iw)/2:(oh-ih)/2,zoompan=z='1+0.004*on':d=1:s=512x512:fps=12",
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        video,
      ]);
      const probe = await probeVideo(resolveFfprobe(bin), video);
      const ex = await createBuiltinExtractor();
      const t = performance.now();
      const cpu = process.cpuUsage();
      const r = await extractVideo({ ffmpeg: bin.path, file: video, probe, extractor: ex });
      const s = (performance.now() - t) / 1000;
      return {
        fps: r.frames.length / s,
        cpuFps: r.frames.length / cpuSeconds(cpu),
        people: r.frames.reduce((n, f) => n + f.people.length, 0) / r.frames.length,
        peakMb: await peakMb(),
        frames: r.frames.length,
        size: `${probe.width}×${probe.height}@${probe.fps}`,
      };
    }
    const video = join(dir, '4k60.mp4');
    execFileSync(bin.path, [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      PHOTO,
      '-t',
      '2',
      '-r',
      '60',
      '-vf',
      "scale=3840:2160,zoompan=z='1+0.002*on':d=1:s=3840x2160:fps=60",
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      video,
    ]);
    const probe = await probeVideo(resolveFfprobe(bin), video);
    const ex = await createBuiltinExtractor({ face: false, hands: false });
    const t = performance.now();
    const cpu = process.cpuUsage();
    const r = await extractVideo({ ffmpeg: bin.path, file: video, probe, extractor: ex });
    const s = (performance.now() - t) / 1000;
    return {
      fps: r.frames.length / s,
      cpuFps: r.frames.length / cpuSeconds(cpu),
      people: r.frames.filter((f) => f.people.length > 0).length / r.frames.length,
      peakMb: await peakMb(),
      frames: r.frames.length,
      size: `${probe.width}×${probe.height}@${probe.fps}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const framesArg = argv.indexOf('--frames');
  const frames = framesArg >= 0 ? Number(argv[framesArg + 1]) : 20;
  const one = argv.indexOf('--one');
  if (one >= 0) {
    const result = await runOne(argv[one + 1] as Case, frames);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  console.log(
    `pose extraction on CPU, ${frames} frames at 512² per extractor (after 3 warm-up frames)`,
  );
  console.log(
    "frames/CPU-s: frames per second of this process's CPU time (≈ frames/s on one idle core;\n" +
      'tfjs-wasm and the JS code are single-threaded; ffmpeg decoding runs in its own process)',
  );
  console.log('case            frames/s  frames/CPU-s  people/frame  peak RSS');
  for (const c of CASES) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--one', c, '--frames', String(frames)],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(`${c.padEnd(15)} failed: ${child.stderr.split('\n').slice(-5).join(' | ')}`);
      continue;
    }
    const r = JSON.parse(line.slice(7)) as {
      fps: number;
      cpuFps: number;
      people: number;
      peakMb: number;
      frames?: number;
      size?: string;
    };
    console.log(
      `${c.padEnd(15)} ${r.fps.toFixed(2).padStart(8)}  ${r.cpuFps.toFixed(2).padStart(12)}  ${r.people.toFixed(2).padStart(12)}  ${r.peakMb.toFixed(0).padStart(5)} MB${r.size ? `   (${r.frames} frames of ${r.size}, end to end)` : ''}`,
    );
  }
}

await main();
