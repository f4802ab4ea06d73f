import { describe, expect, it } from 'vitest';
import { fromFloat16, fromFloat16Bits, toFloat16, toFloat16Bits } from './float16';

describe('float16', () => {
  it('encodes known values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(0.5)).toBe(0x3800);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // rounds up to Inf
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toFloat16Bits(2 ** -26)).toBe(0);
    expect(toFloat16Bits(Infinity)).toBe(0x7c00);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
    expect(toFloat16Bits(0.1)).toBe(0x2e66);
  });

  it('rounds to nearest even', () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even (down)
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(toFloat16Bits(2047 / 1024 + 2 ** -11)).toBe(0x4000); // carry into the exponent
  });

  it('round-trips every half value and stays within half an ulp for others', () => {
    for (let h = 0; h < 0x7c00; h += 7) expect(toFloat16Bits(fromFloat16Bits(h))).toBe(h);
    const xs = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    const back = fromFloat16(toFloat16(xs));
    xs.forEach((x, i) =>
      expect(Math.abs(back[i]! - x)).toBeLessThanOrEqual(
        Math.max(Math.abs(x) * 2 ** -11, 2 ** -25),
      ),
    );
  });
});
