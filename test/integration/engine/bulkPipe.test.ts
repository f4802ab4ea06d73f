/**
 * The bulk pipe between real processes (docs/engine.md, "Bulk bytes"): a stand-in engine started by
 * the product's startEngineProcess sends large arrays through bulkSender and the real pipes; the
 * channel gives them back whole and in order, kills an engine that breaks the protocol with the
 * reason, and never delivers a message whose bytes did not all come.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineChannel, startEngineProcess } from '#main/engine/startEngineProcess';

const STAND_IN = join(import.meta.dirname, 'standIns', 'bulkStandIn.ts');
const pattern = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * seed) % 251);

let channel: EngineChannel | undefined;
afterEach(() => {
  channel?.kill();
  channel = undefined;
  delete process.env.BULK_STAND_IN;
});

function start(scenario: string) {
  process.env.BULK_STAND_IN = scenario;
  const c = startEngineProcess({}, STAND_IN);
  channel = c;
  const messages: unknown[] = [];
  c.onMessage((m) => messages.push(m));
  const exited = new Promise<string>((done) => c.onExit(done));
  return { c, messages, exited };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
};

describe('the engine bulk pipe between real processes', () => {
  it('gives large arrays back whole, of their types, and messages in their order', async () => {
    const { messages } = start('good');
    await until(() => messages.length === 3);
    expect(messages.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
    const first = messages[0] as { frame: Uint8Array; small: Uint8Array };
    expect(first.frame).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(first.frame).equals(Buffer.from(pattern(1 << 20, 7)))).toBe(true);
    expect(first.small).toEqual(pattern(10, 3));
    const [floats, bytes] = (messages[2] as { planes: [Float32Array, Uint8Array] }).planes;
    expect(floats).toBeInstanceOf(Float32Array);
    expect(floats.length).toBe(1 << 16);
    expect(floats.every((v) => v === 0.5)).toBe(true);
    expect(Buffer.from(bytes).equals(Buffer.from(pattern(200_000, 11)))).toBe(true);
  }, 30_000);

  it('kills an engine whose placeholder cannot be honoured, and says why', async () => {
    const { messages, exited } = start('bad-placeholder');
    expect(await exited).toMatch(/broke the bulk-bytes protocol: bad bulk array length NaN/);
    expect(messages).toEqual([]);
  }, 30_000);

  it('never delivers a message whose bytes stopped halfway (the engine died)', async () => {
    const { messages, exited } = start('truncated');
    expect(await exited).toMatch(/exited with code 3/);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages).toEqual([]);
  }, 30_000);
});
