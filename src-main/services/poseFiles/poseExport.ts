import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderConditioning } from '#shared/pose/conditioning';
import { toControlNetPose } from '#shared/pose/formats/index';
import type { PoseFrame } from '#shared/pose/types';
import { CancelledError } from '#shared/render/cancelled';
import { explainIoError } from '#main/scheduler/ioError';
import {
  claimOutput,
  makePartialFolder,
  moveIntoPlace,
  removeDeadPartials,
} from '#main/media/outputTarget';
import { VideoEncoder } from '#main/media/videoEncoder';

/**
 * Pose exports of a render range, for use with other tools: `controlnet` = one ControlNet/OpenPose
 * JSON per frame (`frame_000123.json`), `conditioning` = the OpenPose conditioning image per frame
 * (`frame_000123.png`, through the PNG-sequence encoder). Both are written to a temporary folder
 * and moved into place when complete; an existing folder of the user's is refused, or with
 * `overwrite` kept (the frames go beside the user's files).
 */
export type PoseExportFormat = 'controlnet' | 'conditioning';
export const POSE_EXPORT_FORMATS: readonly PoseExportFormat[] = ['controlnet', 'conditioning'];

export interface PoseExportSpec {
  output: string;
  format: PoseExportFormat;
  from: number;
  to: number;
  fps: number;
  width: number;
  height: number;
  poseFrameAt(frame: number): PoseFrame;
  ffmpeg: string;
  ffprobe: string;
  /** Write into an existing folder that holds other files (same-name files are replaced). */
  overwrite?: boolean;
  signal?: AbortSignal;
  onFrame?(done: number, total: number): void;
}

export async function exportPoses(spec: PoseExportSpec): Promise<{ frames: number }> {
  const total = spec.to - spec.from;
  const identity = { format: spec.format, from: spec.from, to: spec.to };
  if (spec.format === 'conditioning') {
    const enc = await VideoEncoder.open({
      ffmpeg: spec.ffmpeg,
      ffprobe: spec.ffprobe,
      output: spec.output,
      format: 'png',
      width: spec.width,
      height: spec.height,
      fps: spec.fps,
      startNumber: spec.from,
      identity,
      ...(spec.overwrite ? { overwrite: true } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
    });
    try {
      for (let f = spec.from; f < spec.to; f++) {
        if (spec.signal?.aborted) throw new CancelledError();
        await enc.writeFrame(renderConditioning(spec.poseFrameAt(f)));
        spec.onFrame?.(f - spec.from + 1, total);
      }
      return { frames: (await enc.finish()).frames };
    } catch (e) {
      await enc.abort();
      throw explainIoError(e, `writing ${spec.output}`);
    }
  }
  await claimOutput(spec.output, {
    kind: 'folder',
    identity,
    ...(spec.overwrite ? { overwrite: true } : {}),
  });
  await removeDeadPartials(spec.output);
  const tmp = await makePartialFolder(spec.output);
  try {
    for (let f = spec.from; f < spec.to; f++) {
      if (spec.signal?.aborted) throw new CancelledError();
      const name = `frame_${String(f).padStart(6, '0')}.json`;
      await writeFile(
        join(tmp, name),
        `${JSON.stringify(toControlNetPose(spec.poseFrameAt(f)))}\n`,
      );
      spec.onFrame?.(f - spec.from + 1, total);
    }
    const written = (await readdir(tmp)).length;
    if (written !== total) throw new Error(`wrote ${written} pose files instead of ${total}`);
    await moveIntoPlace(tmp, spec.output, 'folder', identity);
    return { frames: written };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw explainIoError(e, `writing ${spec.output}`);
  }
}
