import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderJob, RenderPlanView, TransitionPreview } from '#shared/api/index';
import { SettingsService, memorySettingsBackend } from '#main/services/settings/settingsService';
import { ApiService } from './apiService';
import { createAdapters } from './adapters';
import { PreviewAdapter } from './previewAdapter';
import { projectStoreAdapter } from './projectAdapter';

/** The editor's plan lane and transition previews through the API: real project, engine, cache. */
const root = mkdtempSync(join(tmpdir(), 'ps-api-preview-'));
const sample = resolve(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function openCopy(name: string, edit?: (p: Record<string, unknown>) => void) {
  const dir = join(root, name);
  cpSync(sample, dir, { recursive: true });
  if (edit) {
    const file = join(dir, 'project.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(file, JSON.stringify(json));
  }
  const settings = new SettingsService(memorySettingsBackend());
  const api = new ApiService({
    mode: 'browser',
    version: '0',
    platform: 'linux',
    settings,
    shell: { openFolder: async () => false },
    ...(await createAdapters({ settings })),
  });
  await api.call('projects.open', { folder: dir });
  return api;
}

describe('render.plan and render.previewTransition', { timeout: 120_000 }, () => {
  it('renders the frames around a boundary small and fast, on one reused engine', async () => {
    const api = await openCopy('preview');
    const plan = (await api.call('render.plan', {})) as RenderPlanView;
    // 288 frames in segments of 24: 12 chunks, all stale in a fresh copy.
    expect(plan.segments).toHaveLength(12);
    expect(plan.segments.every((s) => s.state === 'stale')).toBe(true);
    const boundary = plan.segments[1]!.start;
    expect(boundary).toBe(24);

    const p = (await api.call('render.previewTransition', {
      frame: boundary,
    })) as TransitionPreview;
    expect(p).toMatchObject({ boundary: 24, from: 12, fps: 24, width: 320, height: 320 });
    expect(p.frames).toHaveLength(24);
    const first = Buffer.from(p.frames[0]!.split(',')[1]!, 'base64');
    const meta = await sharp(first).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 320 });
    // Real rendered frames: the character moves across the boundary, so frames differ.
    const a = await sharp(first).raw().toBuffer();
    const b = await sharp(Buffer.from(p.frames[23]!.split(',')[1]!, 'base64'))
      .raw()
      .toBuffer();
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    expect(diff / a.length).toBeGreaterThan(0.5);
    // …and not a blank canvas.
    const stats = await sharp(first).stats();
    expect(stats.channels[0]!.stdev).toBeGreaterThan(5);

    // Clamped at the start of the range; the second preview reuses the running engine.
    const q = (await api.call('render.previewTransition', {
      frame: 3,
      before: 6,
      after: 4,
      width: 128,
    })) as TransitionPreview;
    expect(q).toMatchObject({ from: 0, width: 128, height: 128 });
    expect(q.frames).toHaveLength(7);
    expect(q.renderMs).toBeLessThan(p.renderMs + 10_000);
    await api.close();
  });

  it('marks segments a render has cached, and clear errors for bad input', async () => {
    const api = await openCopy('cached');
    const jobs: RenderJob[] = [];
    api.subscribe((e, payload) => {
      if (e === 'render.job') jobs.push(payload as RenderJob);
    });
    const defaults = (await api.call('render.defaults', {})) as Record<string, unknown>;
    const job = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 48 },
    })) as RenderJob;
    await expect
      .poll(() => jobs.filter((j) => j.id === job.id).at(-1)?.progress.stage, {
        timeout: 90_000,
        interval: 100,
      })
      .toBe('done');
    // render.start saved range 0–48 as the project's settings: 2 segments, both in the cache.
    const plan = (await api.call('render.plan', {})) as RenderPlanView;
    expect(plan).toMatchObject({ from: 0, to: 48 });
    expect(plan.segments.map((s) => s.state)).toEqual(['cached', 'cached']);

    await expect(api.call('render.previewTransition', { frame: 500 })).rejects.toThrow(
      /outside the render range 0–48/,
    );
    await expect(api.call('render.previewTransition', { frame: -1 })).rejects.toThrow(/frame/);
    await api.close();
  });

  it('names what is missing: no character, no keyframes', async () => {
    const noCharacter = await openCopy('no-character', (p) => {
      p.characters = [];
      (p.render as Record<string, unknown>).characterId = undefined;
    });
    await expect(noCharacter.call('render.previewTransition', { frame: 24 })).rejects.toThrow(
      /character/,
    );
    await noCharacter.close();
    const noKeys = await openCopy('no-keys', (p) => {
      for (const t of p.tracks as { people: unknown[] }[]) t.people = [];
    });
    await expect(noKeys.call('render.plan', {})).rejects.toThrow(/keyframes/);
    await noKeys.close();
  });
  it('while a job renders the same range: its current segment is rendering, cached ones done', async () => {
    const api = await openCopy('active');
    const jobs: RenderJob[] = [];
    api.subscribe((e, payload) => {
      if (e === 'render.job') jobs.push(payload as RenderJob);
    });
    const defaults = (await api.call('render.defaults', {})) as Record<string, unknown>;
    const job = (await api.call('render.start', {
      settings: { ...defaults, from: 0, to: 24 },
    })) as RenderJob;
    await expect
      .poll(() => jobs.filter((j) => j.id === job.id).at(-1)?.progress.stage, {
        timeout: 90_000,
        interval: 100,
      })
      .toBe('done');
    await api.close();
    // The project now renders 0–24 (one cached segment); widen it to 0–72 by hand.
    const dir = join(root, 'active');
    const file = join(dir, 'project.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { output: { range: object } };
    json.output.range = { from: 0, to: 72 };
    writeFileSync(file, JSON.stringify(json));

    const session = await projectStoreAdapter().open(dir);
    const preview = new PreviewAdapter({
      startEngine: () => Promise.reject(new Error('plan needs no engine')),
    });
    const running = (stage: RenderJob['progress']['stage'], from = 0): RenderJob => ({
      ...job,
      settings: { ...job.settings, from, to: 72 },
      progress: { ...job.progress, stage, segmentIndex: 1, segmentCount: 3 },
    });
    const states = async (jobsNow: RenderJob[]) =>
      (await preview.plan(session, jobsNow)).segments.map((s) => s.state);
    expect(await states([])).toEqual(['cached', 'stale', 'stale']);
    expect(await states([running('rendering')])).toEqual(['done', 'rendering', 'stale']);
    expect(await states([running('paused')])).toEqual(['done', 'rendering', 'stale']);
    // A finished job, or one over another range, says nothing about this plan.
    expect(await states([running('done')])).toEqual(['cached', 'stale', 'stale']);
    expect(await states([running('rendering', 24)])).toEqual(['cached', 'stale', 'stale']);
    await preview.close();
  });
});
