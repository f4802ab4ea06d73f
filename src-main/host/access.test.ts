import { describe, expect, it } from 'vitest';
import {
  hostHeaderAllowed,
  hostnameOf,
  isLoopbackHost,
  newToken,
  originAllowed,
  tokenMatches,
} from './access';

describe('host access rules', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.4', 'studio.lan', '::', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('compares tokens exactly', () => {
    const t = newToken();
    expect(t.length).toBeGreaterThanOrEqual(32);
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, t.slice(1))).toBe(false);
    expect(tokenMatches(t, null)).toBe(false);
    expect(newToken()).not.toBe(t);
  });

  it('accepts same-origin pages and non-browser clients only', () => {
    expect(originAllowed(undefined, '127.0.0.1:5170')).toBe(true);
    expect(originAllowed('http://127.0.0.1:5170', '127.0.0.1:5170')).toBe(true);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:5170')).toBe(false);
    expect(originAllowed('null', '127.0.0.1:5170')).toBe(false);
  });

  it('refuses rebinding host names on a loopback bind', () => {
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostHeaderAllowed(true, 'localhost:5170')).toBe(true);
    expect(hostHeaderAllowed(true, 'evil.example:5170')).toBe(false);
    expect(hostHeaderAllowed(false, 'studio.lan:5170')).toBe(true);
  });
});
