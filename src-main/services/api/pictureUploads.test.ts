import { describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/errors';
import { MAX_PICTURE_BYTES } from '#shared/api/sizeLimits';
import { PictureUploads } from './pictureUploads';

const bytes = Buffer.from(Array.from({ length: 10 }, (_, i) => i));
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as ApiError).toData();
  }
  throw new Error('expected a refusal');
};

describe('pictures sent in parts', () => {
  it('assembles parts sent in order, then forgets the upload', () => {
    const u = new PictureUploads();
    expect(u.addPart('id-00001', 0, 10, bytes.subarray(0, 4))).toBe(4);
    expect(u.addPart('id-00001', 4, 10, bytes.subarray(4))).toBe(10);
    expect(u.take('id-00001')).toEqual(bytes);
    expect(failure(() => u.take('id-00001'))).toMatchObject({ code: 'not-found' });
  });

  it('refuses a part out of order, past the total, or an upload over the picture limit', () => {
    const u = new PictureUploads();
    u.addPart('a-000001', 0, 10, bytes.subarray(0, 4));
    expect(failure(() => u.addPart('a-000001', 6, 10, bytes.subarray(6)))).toMatchObject({
      code: 'bad-request',
      message: 'picture upload "a-000001": a part arrived out of order',
    });
    // The broken upload is dropped, not kept half-filled.
    expect(failure(() => u.take('a-000001'))).toMatchObject({ code: 'not-found' });
    u.addPart('b-000001', 0, 4, bytes.subarray(0, 3));
    expect(failure(() => u.addPart('b-000001', 3, 4, bytes.subarray(3, 6)))).toMatchObject({
      message: 'picture upload "b-000001": more bytes than the size it announced',
    });
    expect(failure(() => u.addPart('c-000001', 0, MAX_PICTURE_BYTES + 1, bytes))).toMatchObject({
      code: 'bad-request',
    });
    expect(failure(() => u.addPart('d-000001', 4, 10, bytes))).toMatchObject({
      code: 'not-found',
    });
  });

  it('refuses an incomplete picture and a changed total', () => {
    const u = new PictureUploads();
    u.addPart('e-000001', 0, 10, bytes.subarray(0, 5));
    expect(failure(() => u.take('e-000001')).message).toBe(
      'picture upload "e-000001" is incomplete (5 of 10 bytes)',
    );
    u.addPart('f-000001', 0, 10, bytes.subarray(0, 5));
    expect(failure(() => u.addPart('f-000001', 5, 11, bytes.subarray(5))).message).toMatch(
      /out of order/,
    );
  });

  it('keeps at most 4 uploads and drops those idle for 10 minutes', () => {
    let now = 0;
    const u = new PictureUploads(() => now);
    for (let i = 0; i < 5; i++) u.addPart(`g-00000${i}`, 0, 10, bytes);
    expect(failure(() => u.take('g-000000'))).toMatchObject({ code: 'not-found' });
    expect(u.take('g-000004')).toEqual(bytes);
    u.addPart('h-000001', 0, 10, bytes.subarray(0, 2));
    now += 10 * 60_000 + 1;
    expect(failure(() => u.addPart('h-000001', 2, 10, bytes.subarray(2)))).toMatchObject({
      code: 'not-found',
    });
  });
});
