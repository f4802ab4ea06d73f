import { describe, expect, it } from 'vitest';
import { MAX_OUTPUT_PIXELS } from '#shared/project/limits';
import { MIN_OUTPUT_SIDE, needsEvenSides, outputSizeForPicture } from './outputSize';

describe('the output size a picture asks for', () => {
  it('is the picture itself when the encoder takes it as it is', () => {
    expect(outputSizeForPicture({ width: 512, height: 512 }, 'mp4')).toEqual({
      width: 512,
      height: 512,
    });
    expect(outputSizeForPicture({ width: 153, height: 192 }, 'png')).toEqual({
      width: 153,
      height: 192,
    });
  });

  it('drops one column or row of an odd side for 4:2:0 / 4:2:2 video, never adds one', () => {
    expect(outputSizeForPicture({ width: 640, height: 425 }, 'mp4')).toEqual({
      width: 640,
      height: 424,
    });
    expect(outputSizeForPicture({ width: 153, height: 192 }, 'webm')).toEqual({
      width: 152,
      height: 192,
    });
    expect(outputSizeForPicture({ width: 215, height: 475 }, 'prores')).toEqual({
      width: 214,
      height: 474,
    });
    expect(needsEvenSides('gif')).toBe(false);
  });

  it('keeps the aspect and never upscales a huge picture past what the puppet renders', () => {
    const size = outputSizeForPicture({ width: 12000, height: 6000 }, 'mp4');
    expect(size).toEqual({ width: 4096, height: 2048 });
    const tall = outputSizeForPicture({ width: 3000, height: 16384 }, 'png');
    expect(tall.height).toBe(4096);
    expect(Math.abs(tall.width / tall.height - 3000 / 16384)).toBeLessThan(0.001);
    expect(tall.width * tall.height).toBeLessThanOrEqual(MAX_OUTPUT_PIXELS);
  });

  it('gives a tiny picture the smallest size the studio accepts', () => {
    expect(outputSizeForPicture({ width: 3, height: 9 }, 'mp4')).toEqual({
      width: MIN_OUTPUT_SIDE,
      height: MIN_OUTPUT_SIDE,
    });
  });

  it('refuses sizes that are not sizes', () => {
    for (const bad of [0, -5, NaN, Infinity])
      expect(() => outputSizeForPicture({ width: bad, height: 10 }, 'mp4')).toThrow(RangeError);
    expect(() => outputSizeForPicture({ width: 1e308, height: 1e308 }, 'mp4')).not.toThrow();
  });
});
