import { describe, expect, it } from 'vitest';
import { ApiError, wireText } from './errors';

describe('errors as they cross the wire', () => {
  it('drops stack lines and paths of the app’s own files, keeps what failed', () => {
    const e = new Error(
      "Cannot read properties of undefined (reading 'width') in /work/wt-serve/src-main/services/api/projectAdapter.ts:55:3\n" +
        '    at pictureSize (/work/wt-serve/src-main/services/api/projectAdapter.ts:55:3)\n' +
        '    at async Promise.all (index 0)\n' +
        '    at Object.<anonymous> (C:\\Program Files\\Pose Studio\\resources\\app.asar\\out\\main\\index.js:1:2)',
    );
    const data = ApiError.from(e).toData();
    expect(data.message).toBe(
      "Cannot read properties of undefined (reading 'width') in (a Pose Studio file)",
    );
    expect(JSON.stringify(data)).not.toMatch(/src-main|node_modules|app\.asar|\bat /);
  });

  it('hides library paths in messages and hints (file URLs and Windows paths too)', () => {
    const e = new ApiError(
      'internal',
      "Cannot find module 'file:///opt/ps/node_modules/sharp/lib/index.js'",
      'see D:\\ps\\node_modules\\onnxruntime-node\\dist\\binding.js',
    );
    expect(e.toData()).toEqual({
      code: 'internal',
      message: "Cannot find module '(a Pose Studio file)'",
      hint: 'see (a Pose Studio file)',
    });
  });

  it('keeps the paths of the user’s files and ordinary text', () => {
    const text = '/home/ana/films/hero/project.json: output.fps: must be at most 240';
    expect(wireText(text)).toBe(text);
    expect(wireText('frames 1/2 done\nat most 4 people')).toBe('frames 1/2 done\nat most 4 people');
  });

  it('never sends an empty message', () => {
    expect(ApiError.from(new Error('    at x (/a/src-main/b.ts:1:1)')).toData().message).toBe(
      'the studio could not do that',
    );
  });
});
