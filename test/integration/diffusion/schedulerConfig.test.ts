import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sd15MetadataDir } from '#native-models/diffusion/tinyPack/buildTinyPack';
import { DdimScheduler, parseSchedulerConfig } from '#shared/diffusion/schedulers/index';

// Real config of a diffusers-layout ONNX pack (Dia1Up/Meinamix-for-ONNX, see sd15-metadata/CREDITS.md).
const fixtureConfig = join(sd15MetadataDir, 'scheduler', 'scheduler_config.json');

describe('scheduler_config.json of a real pack', () => {
  it('reads the schedule fields and ignores the PNDM-specific ones', () => {
    const config = parseSchedulerConfig(JSON.parse(readFileSync(fixtureConfig, 'utf8')));
    expect(config._class_name).toBe('PNDMScheduler');
    expect(config.beta_schedule).toBe('scaled_linear');
    expect(config.steps_offset).toBe(1);
    expect(config.timestep_spacing).toBe('leading');
    expect(config.prediction_type).toBe('epsilon');
    const ddim = new DdimScheduler(config, 50);
    expect(ddim.timesteps[0]).toBe(981);
    expect(ddim.timesteps[49]).toBe(1);
  });
});
