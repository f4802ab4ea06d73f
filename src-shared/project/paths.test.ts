import { describe, expect, it } from 'vitest';
import { checkProjectPath, isNormalProjectPath, safeFileName } from './paths';

describe('checkProjectPath', () => {
  it.each([
    ['assets/hero.png', 'assets/hero.png'],
    ['assets\\hero.png', 'assets/hero.png'],
    ['./assets//hero.png', 'assets/hero.png'],
    ['assets/sub/../hero.png', 'assets/hero.png'],
    ['renders/job-1/out.mp4', 'renders/job-1/out.mp4'],
    ['assets/héro ñ.png', 'assets/héro ñ.png'],
  ])('accepts %j as %j', (input, normal) => {
    expect(checkProjectPath(input)).toEqual({ ok: true, path: normal });
  });

  it.each([
    ['../x', /escapes/],
    ['assets/../../x', /escapes/],
    ['..\\..\\windows\\system32', /escapes/],
    ['/etc/passwd', /absolute/],
    ['\\\\server\\share\\x.png', /absolute/],
    ['C:\\x', /drive letter/],
    ['c:x.png', /drive letter/],
    ['C:/Users/me/x.png', /drive letter/],
    ['', /empty/],
    ['.', /project folder itself/],
    ['assets/..', /project folder itself/],
    ['assets/pic.png:secret', /":"/],
    ['assets/CON', /reserved/],
    ['assets/nul.png', /reserved/],
    ['assets/pic.png.', /ends with a dot/],
    ['assets/a\u0000b.png', /control/],
    ['a/'.repeat(600), /longer/],
  ])('refuses %j', (input, reason) => {
    const r = checkProjectPath(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('knows the stored form', () => {
    expect(isNormalProjectPath('assets/a.png')).toBe(true);
    expect(isNormalProjectPath('assets\\a.png')).toBe(false);
    expect(isNormalProjectPath('../a.png')).toBe(false);
  });
});

describe('safeFileName', () => {
  it.each([
    ['hero.PNG', 'hero.png'],
    ['/home/me/My Picture (1).jpeg', 'My-Picture-1.jpeg'],
    ['C:\\Users\\me\\héroïne.webp', 'heroine.webp'],
    ['..', 'file'],
    ['con.png', 'file-con.png'],
    ['.bashrc', 'bashrc'],
    ['日本.png', 'file.png'],
  ])('%j → %j', (input, out) => {
    const name = safeFileName(input);
    expect(name).toBe(out);
    expect(checkProjectPath(`assets/${name}`)).toEqual({ ok: true, path: `assets/${name}` });
  });
});
