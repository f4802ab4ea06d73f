import { describe, expect, it } from 'vitest';
import { managerUnreachable } from './farmNode';

describe('managerUnreachable', () => {
  const withCause = (code: string) => Object.assign(new Error('x'), { cause: { code } });
  it('is true when the manager could not be reached at all', () => {
    expect(managerUnreachable(new TypeError('fetch failed'))).toBe(true);
    expect(managerUnreachable(withCause('ECONNREFUSED'))).toBe(true);
    expect(managerUnreachable(withCause('ECONNRESET'))).toBe(true);
    expect(managerUnreachable(withCause('UND_ERR_SOCKET'))).toBe(true);
    expect(managerUnreachable(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe(true);
  });
  it('is false when the manager answered, or for anything else', () => {
    expect(managerUnreachable(new Error('the manager refused segment 3: 409'))).toBe(false);
    expect(managerUnreachable(new TypeError('x is not a function'))).toBe(false);
    expect(managerUnreachable(withCause('EACCES'))).toBe(false);
    expect(managerUnreachable('fetch failed')).toBe(false);
    expect(managerUnreachable(undefined)).toBe(false);
  });
});
