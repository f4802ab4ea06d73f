import { describe, expect, it } from 'vitest';
import { renderSettingsProblems } from '#shared/api/model';
import { diffusionSizeProblem } from './outputSize';

describe('diffusion output size', () => {
  it('must be a multiple of 64 (72×72 crashed inside the UNet), and says what to use', () => {
    expect(diffusionSizeProblem(512, 768)).toBeNull();
    expect(diffusionSizeProblem(64, 64)).toBeNull();
    expect(diffusionSizeProblem(72, 72)).toMatch(/72×72: .*multiples of 64 — use 64×64/);
    expect(diffusionSizeProblem(520, 500)).toMatch(/use 512×512/);
    expect(diffusionSizeProblem(0, 64)).not.toBeNull();
  });

  it('is checked in the render settings for diffusion only', () => {
    const settings = {
      generator: 'diffusion',
      width: 72,
      height: 512,
      fps: 24,
      from: 0,
      to: 10,
      segmentLength: 8,
      segmentOverlap: 0,
      strategy: 'independent',
      format: 'mp4',
      pack: 'sd15',
    };
    expect(renderSettingsProblems(settings).get('width')).toMatch(/multiple of 64/);
    expect(renderSettingsProblems(settings).has('height')).toBe(false);
    expect(renderSettingsProblems({ ...settings, generator: 'puppet' }).has('width')).toBe(false);
  });
});
