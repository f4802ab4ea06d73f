import { describe, expect, it } from 'vitest';
import { DiffusionParamsSchema } from '#shared/project/schema';
import { ApiError } from './errors';
import {
  crossFrameModes,
  defaultDiffusionSettings,
  diffusionSettingsSchema,
  renderSettingsProblems,
  renderSettingsSchema,
  type DiffusionSettings,
} from './model';
import { parseParams, parseResult } from './validate';

const base = {
  generator: 'diffusion',
  width: 512,
  height: 512,
  fps: 24,
  from: 0,
  to: 48,
  segmentLength: 16,
  segmentOverlap: 4,
  strategy: 'fused',
  format: 'mp4',
  pack: 'sd15-openpose',
} as const;

const params: DiffusionSettings = {
  prompt: 'a knitted toy dancing, studio light',
  negativePrompt: 'blurry, extra limbs',
  steps: 30,
  guidance: 6.5,
  controlnetScale: 0.8,
  seed: 1234,
  crossFrame: 'previous',
  stickWidth: 'classic',
  referenceMode: 'clean',
  styleFidelity: 0,
  referenceAdain: false,
};

function problem(diffusion: Record<string, unknown>): Map<string, string> {
  return renderSettingsProblems({ ...base, diffusion: { ...params, ...diffusion } });
}

describe('render settings: diffusion parameters', () => {
  it('accepts the parameters, with or without a seed, and without the block', () => {
    expect(renderSettingsSchema.parse({ ...base, diffusion: params }).diffusion).toEqual(params);
    const { seed: _seed, ...noSeed } = params;
    expect(renderSettingsSchema.safeParse({ ...base, diffusion: noSeed }).success).toBe(true);
    expect(renderSettingsSchema.safeParse(base).success).toBe(true);
    // The puppet ignores it, so a form can carry the block across a generator switch.
    expect(
      renderSettingsSchema.safeParse({ ...base, generator: 'puppet', diffusion: params }).success,
    ).toBe(true);
  });

  it("has the project format's bounds at both ends of every number", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ steps: 0 }, 'diffusion.steps', 'must be at least 1'],
      [{ steps: 1001 }, 'diffusion.steps', 'must be at most 1000'],
      [{ steps: 2.5 }, 'diffusion.steps', 'must be a whole number'],
      [{ guidance: -0.5 }, 'diffusion.guidance', 'must be at least 0'],
      [{ guidance: 50.5 }, 'diffusion.guidance', 'must be at most 50'],
      [{ controlnetScale: -0.1 }, 'diffusion.controlnetScale', 'must be at least 0'],
      [{ controlnetScale: 4.5 }, 'diffusion.controlnetScale', 'must be at most 4'],
      [{ seed: -1 }, 'diffusion.seed', 'must be at least 0'],
      [{ seed: 2 ** 32 }, 'diffusion.seed', 'must be at most 4294967295'],
      [{ prompt: 'x'.repeat(4001) }, 'diffusion.prompt', 'must be at most 4000 characters'],
      [{ negativePrompt: 'x'.repeat(4001) }, 'diffusion.negativePrompt', 'at most 4000 char'],
      [{ guidance: Number.NaN }, 'diffusion.guidance', 'must be'],
      [{ crossFrame: 'next' }, 'diffusion.crossFrame', '"off"|"previous"'],
    ];
    for (const [change, path, text] of cases) {
      const found = problem(change);
      expect([...found.keys()], JSON.stringify(change)).toEqual([path]);
      expect(found.get(path), path).toContain(text);
    }
    // The edges themselves are allowed, as in project.json.
    for (const edge of [
      { steps: 1, guidance: 0, controlnetScale: 0, seed: 0, prompt: '' },
      { steps: 1000, guidance: 50, controlnetScale: 4, seed: 0xffffffff, prompt: 'x'.repeat(4000) },
    ]) {
      expect(problem(edge).size, JSON.stringify(edge)).toBe(0);
      expect(DiffusionParamsSchema.safeParse({ ...params, ...edge, pack: 'p' }).success).toBe(true);
    }
  });

  it('is strict: no unknown keys, no missing parameters (the block is applied whole)', () => {
    expect([...problem({ sampler: 'euler' }).values()]).toEqual([
      expect.stringMatching(/Unrecognized key: "sampler"/),
    ]);
    // `pack` belongs to the settings, not the block.
    expect(problem({ pack: 'x' }).size).toBe(1);
    const { steps: _steps, ...noSteps } = params;
    expect(
      renderSettingsSchema.safeParse({ ...base, diffusion: noSteps }).error?.issues[0],
    ).toMatchObject({ path: ['diffusion', 'steps'] });
    expect(diffusionSettingsSchema.safeParse({ ...params, seed: undefined }).success).toBe(true);
  });

  it('is checked on the service side, naming the field, and on results', () => {
    try {
      parseParams('render.start', { settings: { ...base, diffusion: { ...params, steps: 0 } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toMatch(/^render\.start: params\.settings\.diffusion\.steps/);
    }
    expect(() =>
      parseResult('render.defaults', { ...base, diffusion: { ...params, guidance: 99 } }),
    ).toThrow(/diffusion\.guidance/);
    expect(parseResult('render.defaults', { ...base, diffusion: params })).toMatchObject({
      diffusion: params,
    });
  });

  it("starts a form from the project format's defaults", () => {
    const d = defaultDiffusionSettings();
    expect(d).toEqual({
      prompt: '',
      negativePrompt: '',
      steps: 25,
      guidance: 7.5,
      controlnetScale: 1,
      crossFrame: 'off',
      stickWidth: 'classic',
      referenceMode: 'clean',
      styleFidelity: 0,
      referenceAdain: false,
    });
    expect(diffusionSettingsSchema.safeParse(d).success).toBe(true);
    expect(crossFrameModes).toEqual(['off', 'previous']);
  });

  it('words the other fields the same way', () => {
    const found = renderSettingsProblems({ ...base, width: 8, fps: 0, from: 10, to: 5 });
    expect(found.get('width')).toBe('must be at least 16');
    expect(found.get('fps')).toBe('must be at least 1');
    expect(found.get('to')).toBe('"to" must be after "from"');
    const noPack = renderSettingsProblems({ ...base, pack: undefined });
    expect(noPack.get('pack')).toBe('the diffusion generator needs a model pack');
  });
});
