/**
 * Seeded mutations of JSON files, for the file fuzzer: hostile values put into a real file's tree
 * (wrong types, NaN/Infinity written as text, 1e308, -0, huge arrays and strings, deep nesting,
 * removed keys) and hostile text (truncation, BOMs, duplicated keys, junk). The same seed gives
 * the same cases on every machine, so a crash found by the bench is a test case.
 */
import { seededRandom } from '#shared/random/seededRandom';

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

/** A placeholder number swapped for a token JSON cannot hold (NaN, Infinity, 1e999 …). */
const TOKEN = 7.77777777777777e-300;
const TEXT_TOKENS = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', 'undefined', '0x10'];

/** Values a hostile or broken writer puts where a number, string, list or object should be. */
function hostileValue(rand: Rand, old: unknown): unknown {
  const size = () => pick(rand, [2, 1000, 100_000]);
  switch (Math.floor(rand() * 16)) {
    case 0:
      return 1e308;
    case 1:
      return -1e308;
    case 2:
      return -0;
    case 3:
      return 1e-300;
    case 4:
      return TOKEN; // becomes NaN / Infinity / … in the text
    case 5:
      return pick(rand, [null, true, false, '', '12', 'x'.repeat(size()), {}, []]);
    case 6:
      return Number.MAX_SAFE_INTEGER + 2;
    case 7:
      return new Array<number>(size()).fill(pick(rand, [1e308, 0, 1]));
    case 8:
      // Deep nesting [[[[…]]]], written into the text (JSON.stringify itself recurses).
      return `__DEEP_${pick(rand, [100, 5000, 100_000])}__`;
    case 9:
      return Array.isArray(old) ? old.slice(0, Math.floor(rand() * old.length)) : [old];
    case 10: {
      // The same element many times over (long videos, huge people lists), up to ~4 MB of text:
      // enough to pass every list limit of small elements; a list past a limit of big elements
      // (500,000 keyframes) has its own test, and files of hundreds of MB only measure the disk.
      if (!Array.isArray(old) || old.length === 0) return old;
      const each = (JSON.stringify(old[0]) ?? 'null').length + 1;
      return new Array<unknown>(Math.max(2, Math.min(size(), Math.floor(4e6 / each)))).fill(old[0]);
    }
    case 11:
      return typeof old === 'number' ? old * pick(rand, [1e6, -1, 1e300, 0.5]) : 0;
    case 12:
      return typeof old === 'number'
        ? old + pick(rand, [0.5, 1, -1])
        : typeof old === 'string'
          ? `${old}x`
          : 'text';
    case 13:
      return pick<unknown>(rand, [
        // An own "__proto__" key (as JSON.parse makes it), not a prototype.
        JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "toString": 1}'),
        { ['k'.repeat(100_000)]: 1 },
      ]);
    case 14:
      return '\u0000\ud800\u202e../../etc/passwd';
    default:
      return pick(rand, [255, 256, 65536, 16384, 8193, 241, 0.001, 10_000_001, -1]);
  }
}

/** A random place in the tree: the container and key to change, or undefined for the root. */
function randomSpot(
  rand: Rand,
  root: unknown,
): { parent: unknown[] | Record<string, unknown>; key: string | number } | undefined {
  let parent: unknown[] | Record<string, unknown> | undefined;
  let key: string | number | undefined;
  let node = root;
  for (let depth = 0; depth < 12; depth++) {
    const keys: (string | number)[] = Array.isArray(node)
      ? node.length > 0
        ? [Math.floor(rand() * node.length)]
        : []
      : node !== null && typeof node === 'object'
        ? Object.keys(node)
        : [];
    if (keys.length === 0 || (parent !== undefined && rand() < 0.25)) break;
    parent = node as unknown[] | Record<string, unknown>;
    key = pick(rand, keys);
    node = (parent as Record<string | number, unknown>)[key];
  }
  return parent === undefined ? undefined : { parent, key: key! };
}

/** 1 to 3 changes of values in a copy of `seed` (removing keys too). */
function mutateTree(rand: Rand, seed: unknown): unknown {
  const root: unknown = structuredClone(seed);
  let result = root;
  for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
    const spot = randomSpot(rand, result);
    if (!spot) {
      result = hostileValue(rand, result);
      continue;
    }
    const { parent, key } = spot;
    const old = (parent as Record<string | number, unknown>)[key];
    if (!Array.isArray(parent) && rand() < 0.15) delete parent[key as string];
    else (parent as Record<string | number, unknown>)[key] = hostileValue(rand, old);
  }
  return result;
}

function toText(value: unknown, rand: Rand): string {
  // -0 survives only by hand: JSON.stringify writes it as 0.
  let text = JSON.stringify(value, (_, v: unknown) => (Object.is(v, -0) ? '__MINUS_ZERO__' : v));
  text = text.replaceAll('"__MINUS_ZERO__"', '-0');
  text = text.replace(/"__DEEP_(\d+)__"/g, (_, n: string) => {
    const depth = Number(n);
    return '['.repeat(depth) + '1' + ']'.repeat(depth);
  });
  return text.replaceAll(String(TOKEN), () => pick(rand, TEXT_TOKENS));
}

/** Hostile text: truncated, a BOM (or two), a duplicated key, junk before or after. */
function mutateText(rand: Rand, text: string): string {
  switch (Math.floor(rand() * 7)) {
    case 0:
      return text.slice(0, Math.floor(rand() * text.length));
    case 1:
      return '\ufeff' + text;
    case 2:
      return '\ufeff\ufeff' + text;
    case 3: {
      // The first key again with a hostile value: JSON.parse keeps the last one.
      const m = /^\s*\{\s*("[^"]*")\s*:/.exec(text);
      return m
        ? `{${m[1]}: ${pick(rand, ['"x"', '1e308', 'null', '[]'])}, ${text.slice(text.indexOf('{') + 1)}`
        : text;
    }
    case 4:
      return text + pick(rand, ['\n', ' garbage', '}', '\u0000']);
    case 5:
      return pick(rand, ['', ' ', 'null', '[]', '{}', '"text"', '0', 'true']);
    default: {
      const i = Math.floor(rand() * text.length);
      return text.slice(0, i) + pick(rand, [',', ']', '"', '\\', '{']) + text.slice(i);
    }
  }
}

/** One malformed file made from `seed` (parsed JSON), deterministic for (seed, caseSeed). */
export function malformedFile(seed: unknown, caseSeed: number): { text: string; kind: string } {
  // Mutations can compound past what a string can hold (a huge list of huge strings): such a
  // case is drawn again from a derived seed, still deterministic.
  for (let attempt = 0; ; attempt++) {
    try {
      return makeFile(seed, caseSeed + attempt * 0x9e3779b1);
    } catch (e) {
      if (!(e instanceof RangeError) || attempt >= 5) throw e;
    }
  }
}

function makeFile(seed: unknown, caseSeed: number): { text: string; kind: string } {
  const rand = seededRandom(caseSeed);
  const roll = rand();
  if (roll < 0.7) return { text: toText(mutateTree(rand, seed), rand), kind: 'values' };
  if (roll < 0.9) return { text: mutateText(rand, JSON.stringify(seed)), kind: 'text' };
  return { text: mutateText(rand, toText(mutateTree(rand, seed), rand)), kind: 'values+text' };
}
