import { describe, expect, it } from 'vitest';
import { CharacterConfigError, MAX_CONFIG_BYTES, parseCharacterConfig } from './characterConfig';

const cfg = (skeleton: string, size = 'width: 100\nheight: 200\n') =>
  `${size}skeleton:\n${skeleton}`;
const joint = (name: string, x: string, y: string, parent = 'null') =>
  `- name: ${name}\n  loc: [${x}, ${y}]\n  parent: ${parent}\n`;

function reason(text: string): string {
  try {
    parseCharacterConfig(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterConfigError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('char_cfg.yaml', () => {
  it('reads size and joints in file order, parents by name', () => {
    const rig = parseCharacterConfig(
      cfg(joint('root', '50', '120') + joint('hip', '50.5', '121', 'root')),
    );
    expect(rig).toEqual({
      width: 100,
      height: 200,
      joints: [
        { name: 'root', x: 50, y: 120, parent: null },
        { name: 'hip', x: 50.5, y: 121, parent: 'root' },
      ],
    });
  });

  it('refuses NaN, infinities, 1e308 and words as coordinates, naming the joint', () => {
    expect(reason(cfg(joint('root', '.nan', '1')))).toMatch(
      /skeleton\[0\]\.loc \(root\): x is NaN/,
    );
    expect(reason(cfg(joint('root', '1', '.inf')))).toMatch(/y is Infinity/);
    expect(reason(cfg(joint('root', '1e308', '1')))).toMatch(/far outside the 100×200 texture/);
    expect(reason(cfg(joint('root', 'left', '1')))).toMatch(/x is "left"/);
    expect(reason(cfg('- name: root\n  loc: [1]\n'))).toMatch(/must be \[x, y\], got a list of 1/);
  });

  it('refuses wrong types for the size and the skeleton', () => {
    expect(reason(cfg(joint('root', '1', '1'), 'width: "wide"\nheight: 2\n'))).toMatch(
      /^width: must be a whole number/,
    );
    expect(reason(cfg(joint('root', '1', '1'), 'width: 1e308\nheight: 2\n'))).toMatch(/^width/);
    expect(reason(cfg(joint('root', '1', '1'), 'width: 0\nheight: 2\n'))).toMatch(/^width/);
    expect(reason('width: 10\nheight: 10\nskeleton: 3\n')).toMatch(/^skeleton: must be a list/);
    expect(reason('width: 10\nheight: 10\nskeleton: []\n')).toMatch(/^skeleton: must be a list/);
    expect(reason('- 1\n- 2\n')).toMatch(/^\(top level\)/);
    expect(reason('')).toMatch(/^\(top level\)/);
    expect(reason(cfg('- 7\n'))).toMatch(/skeleton\[0\]: must be a mapping/);
    expect(reason(cfg(joint('root', '1', '1', '[a]')))).toMatch(
      /parent: must be a joint name or null/,
    );
  });

  it('refuses a missing parent and a doubled joint name', () => {
    expect(reason(cfg(joint('hip', '1', '1', 'root')))).toMatch(/hangs from "root"/);
    expect(reason(cfg(joint('root', '1', '1') + joint('root', '2', '2')))).toMatch(/appears twice/);
  });

  it('refuses a truncated file, a huge file and an alias bomb', () => {
    const whole = cfg(joint('root', '1', '1') + joint('hip', '2', '2', 'root'));
    expect(reason(whole.slice(0, whole.indexOf('loc: [2') + 7))).toMatch(/not valid YAML|must be/);
    expect(reason(`${whole}#${'x'.repeat(MAX_CONFIG_BYTES)}`)).toMatch(/at most/);
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n' +
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n' +
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n';
    expect(reason(bomb)).toMatch(/not valid YAML/);
  });
});
