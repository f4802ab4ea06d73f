import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { flagFps, flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import { DEFAULT_ONE_EURO, type OneEuroParams } from '#shared/extract/oneEuro';
import { fromPoseTrack, TrackSchema } from '#shared/project/index';
import { PoseFormatError } from '#shared/pose/formats/index';
import { POINTS_LENGTH } from '#shared/pose/types';
import { EngineClient, EngineRequestError } from '#main/engine/client/engineClient';
import type { ExtractorChoice } from '#main/engine/extract/createExtractor';
import { EngineExtractor } from '#main/engine/extract/engineExtractor';
import { resolveFfmpeg, resolveFfprobe, FfmpegNotFoundError } from '#main/media/ffmpegBinary';
import {
  outputFormatFor,
  PoseFileError,
  readPoses,
  writePoses,
} from '#main/services/poseFiles/poseFiles';
import { atomicWrite } from '#main/fs/atomicWrite';
import { ExtractCancelled, ExtractError } from '#main/engine/extract/extractError';
import { extractVideo, pictureResult, type ExtractResult } from '#main/engine/extract/extractPoses';
import { keepAudio } from '#main/services/extract/keepAudio';
import { probeInput } from '#main/engine/extract/probeInput';
import { framesToTrack } from '#main/engine/extract/toTrack';

const usage = `usage: pose-studio extract <video|picture> -o <poses.json|folder> [options]

  Extracts whole-body poses (136 points: body, feet, face, hands) from a video or a picture.
  -o poses.json      ComfyUI POSE_KEYPOINT list (one ControlNet pose for a picture)
  -o folder          OpenPose per-frame folder (must be new or empty)

  --pack dwpose <dir>  DWPose ONNX pack (yolox_l.onnx + dw-ll_ucoco_384.onnx); default: built-in
                       extractor (CenterNet + MoveNet + hands + face mesh, ships with the
                       app, up to 4 people)
  --fps N              output frame rate (default: the video's); variable rates are normalised
  --smooth on|off|MINCUTOFF,BETA,DCUTOFF
                       One Euro smoothing (default on = ${DEFAULT_ONE_EURO.minCutoff},${DEFAULT_ONE_EURO.beta},${DEFAULT_ONE_EURO.dCutoff})
  --min-score S        points scoring below S are missing (default 0.2 built-in, 0.3 DWPose)
  --max-side N         decode frames at most N px on the longest side (default 1280)
  --track FILE.json    also write an editable pose track (keyframes, project track JSON)
  --tolerance PX       keyframe reduction tolerance for --track (default 2)
  --retarget POSE      retarget the track onto the character pose in POSE (a character
                       .pose.json or any pose file: its first person)
  --no-audio           do not keep the video's sound (default: <out>.audio.mka beside -o)

  Exit codes: 0 ok, 2 bad input (one-line reason), 130 cancelled. Nothing is written unless
  extraction finishes.`;

function parseSmoothing(v: string | undefined): OneEuroParams | null {
  if (v === undefined || v === 'on') return DEFAULT_ONE_EURO;
  if (v === 'off') return null;
  const parts = v.split(',').map(Number);
  if (
    parts.length !== 3 ||
    parts.some((p) => !Number.isFinite(p) || p < 0) ||
    parts[0] === 0 ||
    parts[2] === 0
  )
    throw new CliError(
      `--smooth must be on, off or MINCUTOFF,BETA,DCUTOFF (numbers > 0, beta ≥ 0), got "${v}"`,
    );
  return { minCutoff: parts[0]!, beta: parts[1]!, dCutoff: parts[2]! };
}

/** `--pack dwpose <dir>` (two words) is folded into `--pack <dir>` before flag parsing. */
function foldPack(argv: string[]): string[] {
  const out = [...argv];
  const i = out.indexOf('--pack');
  if (i >= 0 && out[i + 1] === 'dwpose') {
    const dir = out[i + 2];
    if (dir === undefined || dir.startsWith('-'))
      throw new CliError('--pack dwpose needs the pack folder: --pack dwpose <dir>');
    out.splice(i, 3, '--pack', dir);
  }
  return out;
}

function audioPathFor(out: string): string {
  const ext = extname(out).toLowerCase() === '.json' ? '.json' : '';
  return join(dirname(out), `${basename(out, ext)}.audio.mka`);
}

/** A character reference pose file ({ width, height, points: 408 numbers }) as the assets ship. */
const CharacterPoseSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  points: z.array(z.number().finite()).length(POINTS_LENGTH),
});

async function characterPose(
  file: string,
): Promise<{ points: Float64Array; width: number; height: number }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CliError(`--retarget ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  const direct = CharacterPoseSchema.safeParse(raw);
  if (direct.success) return { ...direct.data, points: Float64Array.from(direct.data.points) };
  const r = await readPoses(file);
  const frame = r.frames[0];
  const person = frame?.people[0];
  if (!frame || !person) throw new CliError(`--retarget ${file}: the file holds no person`);
  return { points: person.points, width: frame.width, height: frame.height };
}

function progressPrinter(io: CliIO) {
  let lastTenth = -1;
  return (p: { frame: number; total: number; people: number }) => {
    const tenth = Math.floor((p.frame / p.total) * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    io.err(
      `extract: frame ${p.frame}/${p.total} (${Math.min(100, Math.round((p.frame / p.total) * 100))}%)`,
    );
  };
}

export const command: CliCommand = {
  name: 'extract',
  summary: 'extract whole-body poses from a video or picture',
  usage,
  async run(argv, io) {
    const args = parseArgs(foldPack(argv), {
      values: [
        'out',
        'pack',
        'fps',
        'smooth',
        'min-score',
        'max-side',
        'track',
        'tolerance',
        'retarget',
      ],
      booleans: ['no-audio'],
      aliases: { o: 'out' },
    });
    if (args.positional.length !== 1)
      throw new CliError('extract needs exactly one input file (see --help)');
    const input = resolve(io.cwd, args.positional[0]!);
    const outArg = flagString(args, 'out');
    if (!outArg) throw new CliError('extract needs -o <poses.json|folder>');
    const out = resolve(io.cwd, outArg);
    const pack = flagString(args, 'pack');
    const fpsValue = flagFps(args, 'fps');
    const smoothing = parseSmoothing(flagString(args, 'smooth'));
    const minScoreText = flagString(args, 'min-score');
    const minScore = minScoreText === undefined ? undefined : Number(minScoreText);
    if (minScore !== undefined && !(minScore >= 0 && minScore < 1))
      throw new CliError(`--min-score must be in [0, 1), got "${minScoreText}"`);
    const maxSide = flagInt(args, 'max-side');
    if (maxSide !== undefined && !(maxSide >= 64 && maxSide <= 8192))
      throw new CliError(`--max-side must be between 64 and 8192, got ${maxSide}`);
    const tolText = flagString(args, 'tolerance');
    const tolerance = tolText === undefined ? 2 : Number(tolText);
    if (!(tolerance >= 0 && Number.isFinite(tolerance)))
      throw new CliError(`--tolerance must be a number ≥ 0 (pixels), got "${tolText}"`);
    const trackOut = flagString(args, 'track');
    const retarget = flagString(args, 'retarget');

    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    // The extractors run in the engine process (tfjs-wasm / ONNX Runtime off this thread; the
    // same path the studio uses). Started only once the input is known to be readable.
    let engine: EngineClient | undefined;
    try {
      const ffmpeg = resolveFfmpeg();
      const ffprobe = resolveFfprobe(ffmpeg);
      const kind = await probeInput(ffprobe, input);
      const character = retarget ? await characterPose(resolve(io.cwd, retarget)) : undefined;
      const choice: ExtractorChoice = pack
        ? { name: 'dwpose', packDir: resolve(io.cwd, pack) }
        : { name: 'builtin' };
      engine = await EngineClient.start();
      const extractor = new EngineExtractor(engine, choice, minScore);
      let result: ExtractResult;
      if (kind.kind === 'picture') {
        const r = await engine.extractPicturePose({
          source: { path: input },
          extractor: choice,
          ...(minScore !== undefined ? { minScore } : {}),
          maxSide: maxSide ?? 1280,
        });
        result = pictureResult(r.width, r.height, r.people);
      } else {
        io.err(
          `extract: ${basename(input)} ${kind.probe.width}×${kind.probe.height} ${kind.probe.fps.toFixed(2)} fps, ${kind.probe.frames} frames, ${extractor.info.name} extractor`,
        );
        result = await extractVideo({
          ffmpeg: ffmpeg.path,
          file: input,
          probe: kind.probe,
          extractor,
          ...(fpsValue !== undefined ? { fps: fpsValue } : {}),
          smoothing,
          ...(maxSide !== undefined ? { maxSide } : {}),
          signal: controller.signal,
          onProgress: progressPrinter(io),
        });
      }
      for (const w of result.warnings.slice(0, 20)) io.err(`warning: ${w}`);
      if (result.framesWithoutPeople === result.frames.length)
        throw new CliError(
          `no person found in ${basename(input)} (${result.frames.length} frame${result.frames.length === 1 ? '' : 's'}); nothing written`,
        );
      const written = await writePoses(
        out,
        result.frames,
        outputFormatFor(out, result.frames.length),
      );
      io.out(
        `wrote ${written.length === 1 ? written[0] : `${written.length} files to ${out}`}: ${result.frames.length} frame(s), ${result.peopleSeen} person id(s), ${result.fps} fps, ${result.width}×${result.height}`,
      );
      if (trackOut) {
        const { track, maxError } = framesToTrack(result.frames, {
          tolerance,
          ...(character ? { character: character.points, characterSize: character } : {}),
        });
        const json = TrackSchema.parse(
          fromPoseTrack(track, { id: 'extracted', name: basename(input), fps: result.fps }),
        );
        await atomicWrite(resolve(io.cwd, trackOut), `${JSON.stringify(json)}\n`);
        const keys = track.people.reduce((n, p) => n + p.keyframes.length, 0);
        io.out(
          `wrote track ${trackOut}: ${keys} keyframes for ${result.frames.length} frames, max error ${maxError.toFixed(2)} px`,
        );
      }
      if (kind.kind === 'video' && kind.probe.hasAudio && !args.flags.has('no-audio')) {
        const audio = audioPathFor(out);
        await keepAudio(ffmpeg.path, input, audio, controller.signal);
        io.out(`kept audio: ${audio}`);
      }
      return 0;
    } catch (e) {
      if (e instanceof ExtractCancelled) {
        io.err('extract: cancelled; nothing written');
        return 130;
      }
      if (
        e instanceof ExtractError ||
        (e instanceof EngineRequestError && e.kind !== 'internal') ||
        e instanceof PoseFileError ||
        e instanceof PoseFormatError ||
        e instanceof FfmpegNotFoundError
      )
        throw new CliError(e.message);
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
      await engine?.close();
    }
  },
};
