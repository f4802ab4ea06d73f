import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coherenceReportSchema } from '#shared/api/coherence';
import { runRender } from '#main/cli/commands/render';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import { probeVideo } from '#main/media/ffprobe';
import { startPuppetWorkers } from '#main/scheduler/workers/workers';
import { captureIO, copySample } from './helpers';

const { root, project } = copySample();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ffprobe = resolveFfprobe(resolveFfmpeg({ bundledPath: () => null }));

describe('render command (real puppet engine, real ffmpeg)', () => {
  it('renders a range to MP4 with JSON events, then reuses every segment from the cache', async () => {
    const out = join(root, 'clip.mp4');
    const c = captureIO(root);
    const code = await runRender(
      [project, '-o', out, '--from', '10', '--to', '40', '--json'],
      c.io,
      {
        startWorkers: startPuppetWorkers,
        env: process.env,
      },
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const events = c.out.map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          source?: string;
          stage?: string;
          thumbnail?: string | null;
        },
    );
    expect(events.filter((e) => e.type === 'segment')).toHaveLength(2); // frames 10–34, 34–40
    expect(events.at(-1)).toMatchObject({
      type: 'finished',
      frames: 30,
      fps: 24,
      width: 512,
      height: 512,
      segmentsRendered: 2,
    });
    expect(
      events.some(
        (e) => e.type === 'progress' && e.thumbnail?.startsWith('data:image/jpeg;base64,'),
      ),
    ).toBe(true);
    const probe = await probeVideo(ffprobe, out);
    expect(probe).toMatchObject({
      frames: 30,
      fps: 24,
      width: 512,
      height: 512,
      codec: 'h264',
      pixFmt: 'yuv420p',
    });

    const again = captureIO(root);
    expect(
      await runRender([project, '-o', out, '--from', '10', '--to', '40', '--json'], again.io, {
        startWorkers: startPuppetWorkers,
        env: process.env,
      }),
    ).toBe(0);
    const cached = JSON.parse(again.out.at(-1)!) as { coherence: unknown };
    expect(cached).toMatchObject({ segmentsRendered: 0, segmentsCached: 2 });
    // Every render reports its coherence, from cached segments too, and the same frames give the
    // same report; the puppet's plate gives the character/background split.
    const first = events.at(-1) as unknown as { coherence: Record<string, unknown> };
    expect(first.coherence).toMatchObject({ frames: 30, boundaries: 1, region: 'mask' });
    expect(cached.coherence).toEqual(first.coherence);
    const jobs = readdirSync(join(project, 'renders'));
    const report = coherenceReportSchema.parse(
      JSON.parse(readFileSync(join(project, 'renders', jobs[0]!, 'coherence.json'), 'utf8')),
    );
    expect(report.seams.boundaries.map((b) => b.frame)).toEqual([24]);
    expect(report.drift.background).not.toBeNull();
    expect(jobs).toHaveLength(1);
    const manifest = JSON.parse(
      readFileSync(join(project, 'renders', jobs[0]!, 'manifest.json'), 'utf8'),
    );
    expect(manifest.state).toBe('done');
    expect(manifest.attempts.map((a: { rendered: number }) => a.rendered)).toEqual([2, 0]);
  });

  it('writes a PNG sequence numbered by project frame', async () => {
    const out = join(root, 'frames');
    const c = captureIO(root);
    expect(
      await runRender([project, '-o', out, '--from', '5', '--to', '9'], c.io, {
        startWorkers: startPuppetWorkers,
        env: process.env,
      }),
    ).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      '.pose-studio-output.json', // says which render made the folder (issue 13)
      'frame_000005.png',
      'frame_000006.png',
      'frame_000007.png',
      'frame_000008.png',
    ]);
    expect(c.out.join('\n')).toMatch(/4 frames 512×512 at 24 fps/);
  });

  it('exports ControlNet JSON and conditioning PNGs per frame (no engine)', async () => {
    const cn = join(root, 'controlnet');
    const c = captureIO(root);
    const none = async () => {
      throw new Error('pose exports must not start an engine');
    };
    expect(
      await runRender(
        [project, '-o', cn, '--format', 'controlnet', '--from', '3', '--to', '6'],
        c.io,
        { startWorkers: none, env: process.env },
      ),
    ).toBe(0);
    expect(readdirSync(cn).sort()).toEqual([
      '.pose-studio-output.json',
      'frame_000003.json',
      'frame_000004.json',
      'frame_000005.json',
    ]);
    const pose = JSON.parse(readFileSync(join(cn, 'frame_000004.json'), 'utf8'));
    expect(pose).toMatchObject({ canvas_width: 512, canvas_height: 512 });
    expect(pose.people[0].pose_keypoints_2d).toHaveLength(54);
    expect(pose.people[0].hand_left_keypoints_2d).toHaveLength(63);

    const cond = join(root, 'conditioning');
    expect(
      await runRender(
        [project, '-o', cond, '--format', 'conditioning', '--from', '0', '--to', '2'],
        c.io,
        { startWorkers: none, env: process.env },
      ),
    ).toBe(0);
    expect(readdirSync(cond).sort()).toEqual([
      '.pose-studio-output.json',
      'frame_000000.png',
      'frame_000001.png',
    ]);
    const probe = await probeVideo(ffprobe, join(cond, 'frame_000001.png'));
    expect(probe).toMatchObject({ width: 512, height: 512, codec: 'png' });
  });

  it('refuses --resume when there is nothing to resume', async () => {
    const c = captureIO(root);
    await expect(
      runRender([project, '-o', join(root, 'never.mp4'), '--resume'], c.io, {
        startWorkers: startPuppetWorkers,
        env: process.env,
      }),
    ).rejects.toThrow(/nothing to resume/);
    expect(existsSync(join(root, 'never.mp4'))).toBe(false);
  });
});
