import WebSocket from 'ws';
import { apiMethods } from '#shared/api/methods';
import { MAX_FRAME_BYTES } from '#shared/api/sizeLimits';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { closeFrame, frame, rawUpgrade, text } from './rawWebSocket';

/**
 * A seeded fuzzer for what crosses the network into `pose-studio serve`: malformed WebSocket
 * frames (sent on a raw socket after a real upgrade) and malformed API messages (sent by a real
 * client). The same seed gives the same cases, so a failure can be replayed by its seed and index.
 */
export type FuzzCase =
  | { kind: 'frame'; name: string; bytes: Buffer; hangUp: boolean }
  | { kind: 'message'; name: string; data: string | Buffer; binary: boolean };

/** Methods with no side effect beyond the temp settings folder, and no engine start. */
const METHODS = Object.keys(apiMethods).filter(
  (m) => !['projects.create', 'projects.open', 'engine.info', 'character.detectPose'].includes(m),
);

const pick = <T>(rng: SeededRandom, list: readonly T[]): T =>
  list[Math.floor(rng.uniform() * list.length)]!;
const int = (rng: SeededRandom, lo: number, hi: number) =>
  lo + Math.floor(rng.uniform() * (hi - lo + 1));

function randomBytes(rng: SeededRandom, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(rng, 0, 255);
  return b;
}

/** A long string: sometimes huge (up to 4 MB), sometimes with lone surrogates or NULs. */
function nastyString(rng: SeededRandom): string {
  const len = rng.uniform() < 0.05 ? int(rng, 1 << 20, 4 << 20) : int(rng, 0, 5000);
  const unit = pick(rng, ['a', '\u0000', '\ud800', '../', '%E0%A4%A', '/proc/self/', '😀', '"']);
  return unit.repeat(Math.ceil(len / unit.length)).slice(0, len);
}

/** A JSON value that is the wrong type, out of range or absurdly shaped for any field. */
function nastyValueText(rng: SeededRandom): string {
  switch (int(rng, 0, 9)) {
    case 0:
      return pick(rng, ['1e308', '-1e308', '1e309', '-0', '5e-324', '9007199254740993']);
    case 1:
      return JSON.stringify(nastyString(rng));
    case 2: {
      const depth = int(rng, 100, 20_000);
      return '['.repeat(depth) + ']'.repeat(depth);
    }
    case 3: {
      const depth = int(rng, 100, 5_000);
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    }
    case 4:
      return pick(rng, ['null', 'true', '[]', '{}', '""', '0']);
    case 5:
      return JSON.stringify({ folder: nastyString(rng), index: 1e308, x: -1e308, track: [] });
    case 6:
      return `[${Array.from({ length: int(rng, 1, 100_000) }, () => '1').join(',')}]`;
    case 7:
      return JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: 1 } });
    case 8:
      return JSON.stringify({ jobId: nastyString(rng), extra: 1 });
    default:
      return `{${Array.from({ length: int(rng, 1, 2000) }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  }
}

function messageCase(rng: SeededRandom, i: number): FuzzCase {
  const id = pick(rng, [String(i), '-1', '1.5', '1e308', '"7"', 'null', String(2 ** 53 + 2)]);
  const method = rng.uniform() < 0.7 ? pick(rng, METHODS) : nastyString(rng).slice(0, 300);
  const call = `{"type":"call","id":${id},"method":${JSON.stringify(method)},"params":${nastyValueText(rng)}}`;
  const k = int(rng, 0, 7);
  const message = (name: string, data: string | Buffer, binary = false): FuzzCase => ({
    kind: 'message',
    name,
    data,
    binary,
  });
  if (k === 0) return message('truncated JSON', call.slice(0, int(rng, 0, call.length - 1)));
  if (k === 1) return message('NaN literal', call.replace(/"params":.*$/, '"params":{"x":NaN}}'));
  if (k === 2) return message('binary frame', Buffer.from(call), true);
  if (k === 3)
    return message(
      'wrong frame type',
      call.replace('"type":"call"', pick(rng, ['"type":"result"', '"type":1', '"x":0'])),
    );
  if (k === 4) return message('extra key', call.replace('{"type"', '{"evil":1,"type"'));
  if (k === 5) return message('not an object', nastyValueText(rng));
  return message('bad params', call);
}

const BAD_CLOSE_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535];

function frameCase(rng: SeededRandom): FuzzCase {
  const payload = randomBytes(rng, int(rng, 0, 200));
  const f = (name: string, bytes: Buffer, hangUp = false): FuzzCase => ({
    kind: 'frame',
    name,
    bytes,
    hangUp,
  });
  switch (int(rng, 0, 11)) {
    case 0:
      return f(
        'over the size limit',
        frame({
          opcode: pick(rng, [1, 2]),
          payload,
          declaredLength: int(rng, MAX_FRAME_BYTES + 1, 2 ** 53 - 1),
        }),
      );
    case 1:
      return f('invalid UTF-8', text(Buffer.concat([payload, Buffer.from([0xc0, 0xaf, 0xff])])));
    case 2:
      return f(
        'reserved opcode',
        frame({ opcode: pick(rng, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload }),
      );
    case 3:
      return f('unmasked', frame({ opcode: pick(rng, [1, 2, 9]), payload, masked: false }));
    case 4:
      return f('bad close code', closeFrame(pick(rng, BAD_CLOSE_CODES)));
    case 5:
      return f('RSV bits', frame({ opcode: 1, payload, rsv: int(rng, 1, 7) }));
    case 6:
      return f(
        'fragmented control frame',
        frame({ opcode: pick(rng, [8, 9, 10]), fin: false, payload: payload.subarray(0, 10) }),
      );
    case 7:
      return f(
        'control frame over 125 bytes',
        frame({ opcode: pick(rng, [9, 10]), payload: randomBytes(rng, int(rng, 126, 300)) }),
      );
    case 8:
      return f('continuation without a start', frame({ opcode: 0, payload }));
    case 9:
      return f(
        'new message inside a fragmented one',
        Buffer.concat([
          frame({ opcode: 1, fin: false, payload: Buffer.from('{"a":') }),
          frame({ opcode: 1, payload: Buffer.from('1}') }),
        ]),
      );
    case 10: {
      const whole = text(JSON.stringify({ type: 'call', id: 1, method: 'app.info', params: {} }));
      return f(
        'truncated, then the client is killed',
        whole.subarray(0, int(rng, 1, whole.length - 1)),
        true,
      );
    }
    default:
      return f('random bytes', randomBytes(rng, int(rng, 1, 2000)), true);
  }
}

/** Case `i` of the run with this seed (half frames, half messages). */
export function fuzzCase(seed: number, i: number): FuzzCase {
  const rng = new SeededRandom(seed * 1_000_003 + i);
  return rng.uniform() < 0.5 ? frameCase(rng) : messageCase(rng, i);
}

export interface FuzzTally {
  cases: number;
  crashes: number;
  /** Answers that were not a clean error: no answer, unreadable, `internal`, leaking internals. */
  unclean: number;
  /** Malformed frames the host did not close the connection for. */
  notClosed: number;
  /** Messages answered with a result (the input happened to be valid for that method). */
  accepted: number;
  failures: string[];
}

/** What the app's own internals look like in a message (they must never reach a client). */
const LEAK = /node_modules|src-main|src-shared|src-renderer|\n\s+at\s/;
const CLEAN_CODES = ['bad-request', 'unknown-method', 'not-found', 'no-project', 'unavailable'];

function nextReply(ws: WebSocket, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onMessage = (d: WebSocket.RawData) => {
      const s = String(d);
      if (s.startsWith('{"type":"event"')) return;
      done(s);
    };
    const onClose = () => done(null);
    function done(v: string | null) {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(v);
    }
    ws.on('message', onMessage);
    ws.once('close', onClose);
  });
}

/**
 * Runs cases [from, to) of `seed` against the host on `port`, checking after each that the
 * serve process is alive (`alive()`), and tallies what happened.
 */
export async function runFuzz(opts: {
  port: number;
  seed: number;
  from?: number;
  to: number;
  alive: () => boolean;
  onProgress?: (done: number) => void;
}): Promise<FuzzTally> {
  const t: FuzzTally = {
    cases: 0,
    crashes: 0,
    unclean: 0,
    notClosed: 0,
    accepted: 0,
    failures: [],
  };
  const open = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${opts.port}/api`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.on('error', () => undefined);
    return ws;
  };
  let client = await open();
  const fail = (i: number, c: FuzzCase, what: string) => {
    if (t.failures.length < 20)
      t.failures.push(`seed ${opts.seed} case ${i} (${c.kind}: ${c.name}): ${what}`);
  };
  for (let i = opts.from ?? 0; i < opts.to; i++) {
    const c = fuzzCase(opts.seed, i);
    t.cases++;
    if (c.kind === 'frame') {
      const raw = await rawUpgrade(opts.port);
      raw.write(c.bytes);
      if (c.hangUp) raw.socket.destroy();
      const timer = setTimeout(() => raw.socket.destroy(), 5000);
      const end = await raw.ended;
      clearTimeout(timer);
      if (!c.hangUp && end.closeCode === null) {
        t.notClosed++;
        fail(i, c, 'the host did not close the connection with a code');
      }
    } else {
      if (client.readyState !== WebSocket.OPEN) client = await open();
      client.send(c.data, { binary: c.binary });
      const reply = await nextReply(client, 10_000);
      let frameOk = false;
      if (reply !== null) {
        try {
          const r = JSON.parse(reply) as {
            type?: string;
            error?: { code?: string; message?: string };
          };
          if (r.type === 'result') {
            t.accepted++;
            frameOk = true;
          } else if (
            r.type === 'error' &&
            CLEAN_CODES.includes(r.error?.code ?? '') &&
            typeof r.error?.message === 'string' &&
            r.error.message.length > 0 &&
            !LEAK.test(reply)
          )
            frameOk = true;
          else fail(i, c, `not a clean error: ${reply.slice(0, 300)}`);
        } catch {
          fail(i, c, `unreadable answer: ${reply.slice(0, 100)}`);
        }
      } else fail(i, c, 'no answer');
      if (!frameOk) t.unclean++;
    }
    if (!opts.alive()) {
      t.crashes++;
      fail(i, c, 'serve exited');
      break;
    }
    opts.onProgress?.(t.cases);
  }
  client.close();
  return t;
}
