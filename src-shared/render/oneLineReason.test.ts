import { describe, expect, it } from 'vitest';
import { oneLineReason } from './oneLineReason';

describe('oneLineReason', () => {
  it('drops stack frames and joins the remaining lines', () => {
    const message =
      'engine exited with code 134\n    at EngineClient.onExit (/app/src-main/engine/client.ts:88:11)\n    at node:internal/x:1:2';
    expect(oneLineReason(message)).toBe('engine exited with code 134');
  });

  it('keeps a line that only starts with "at" when it is not a stack frame', () => {
    expect(oneLineReason('pose has a non-finite number\nat 12')).toBe(
      'pose has a non-finite number at 12',
    );
  });

  it('says something for an empty message', () => {
    expect(oneLineReason('\n  \n')).toBe('unknown error');
  });
});
