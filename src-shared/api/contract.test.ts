import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { apiEvents } from './events';
import { apiMethodNames, apiMethods } from './methods';
import { parseParams, requireMethod } from './validate';
import { parseCallFrame } from './wire';
import { contentSecurityPolicy } from './csp';
import { renderSettingsSchema, mediaPathSchema } from './model';

const goodSettings = {
  generator: 'puppet',
  width: 512,
  height: 512,
  fps: 24,
  from: 0,
  to: 48,
  segmentLength: 24,
  segmentOverlap: 0,
  strategy: 'independent',
  format: 'mp4',
} as const;

describe('API contract', () => {
  it('has a params and a result schema for every method, and strict params', () => {
    expect(apiMethodNames.length).toBeGreaterThan(15);
    for (const name of apiMethodNames) {
      expect(apiMethods[name].params.safeParse({ surprise: 1 }).success, name).toBe(false);
    }
    expect(Object.keys(apiEvents)).toEqual([
      'render.progress',
      'render.job',
      'engine.status',
      'ui.command',
    ]);
  });

  it('names the field and the method in validation errors', () => {
    try {
      parseParams('render.start', { settings: { ...goodSettings, fps: -1, format: 'avi' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe('bad-request');
      expect((e as ApiError).message).toMatch(
        /^render\.start: params\.settings\.fps: .*; params\.settings\.format: /,
      );
    }
    expect(() => requireMethod('__proto__')).toThrow(/unknown API method/);
    expect(() => requireMethod(7)).toThrow(/unknown API method 7/);
  });

  it('checks render settings across fields', () => {
    expect(renderSettingsSchema.safeParse(goodSettings).success).toBe(true);
    const backwards = renderSettingsSchema.safeParse({ ...goodSettings, from: 50, to: 10 });
    expect(backwards.error?.issues[0]).toMatchObject({ path: ['to'] });
    const overlap = renderSettingsSchema.safeParse({ ...goodSettings, segmentOverlap: 24 });
    expect(overlap.error?.issues[0]).toMatchObject({ path: ['segmentOverlap'] });
  });

  it('keeps media paths inside the project', () => {
    expect(mediaPathSchema.safeParse('renders/a.mp4').success).toBe(true);
    for (const bad of ['../x.png', '/etc/x.png', 'C:/x.png', 'a/../../x.png', 'a\\..\\x.png']) {
      expect(mediaPathSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('reads WebSocket call frames strictly', () => {
    expect(parseCallFrame('{"type":"call","id":3,"method":"app.info","params":{}}')).toMatchObject({
      id: 3,
    });
    expect(() => parseCallFrame('{')).toThrow('message is not valid JSON');
    expect(() => parseCallFrame('{"type":"call","id":-1,"method":"x"}')).toThrow(/message\.id/);
    expect(() => parseCallFrame('{"type":"call","id":1,"method":"x","evil":1}')).toThrow(
      /Unrecognized key/,
    );
  });

  it('has a strict CSP: no inline or remote scripts, no eval, media only from the project', () => {
    const csp = contentSecurityPolicy({ mediaScheme: 'pose-studio-media' });
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(csp).toMatch(/media-src 'self' blob: pose-studio-media:/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(contentSecurityPolicy({ meta: true })).not.toMatch(/frame-ancestors/);
  });
});
