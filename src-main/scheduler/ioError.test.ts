import { describe, expect, it } from 'vitest';
import { explainIoError } from './ioError';

describe('explainIoError', () => {
  it('says what was being written when the disk is full (Node or ffmpeg wording)', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    expect(String(explainIoError(enospc, 'writing the segment cache in /p/cache'))).toBe(
      'Error: no space left on the disk while writing the segment cache in /p/cache: free some ' +
        "space (`pose-studio cache <project> --prune --max-size 5G` trims a project's render " +
        'cache), then resume the render',
    );
    const ffmpeg = new Error(
      'ffmpeg failed: av_interleaved_write_frame(): No space left on device',
    );
    expect(String(explainIoError(ffmpeg, 'encoding out.mp4'))).toMatch(
      /^Error: no space left on the disk while encoding out\.mp4/,
    );
  });

  it('names permission problems and passes other errors through', () => {
    const eacces = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    expect(String(explainIoError(eacces, 'writing x'))).toBe(
      'Error: not allowed to write while writing x (EACCES)',
    );
    const other = new Error('engine crashed');
    expect(explainIoError(other, 'x')).toBe(other);
  });
});
