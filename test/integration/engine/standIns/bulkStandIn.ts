/**
 * A stand-in engine for the bulk-pipe tests (bulkPipe.test.ts): started by the product's
 * startEngineProcess, it sends what its scenario (BULK_STAND_IN) says through the real pipes.
 */
import { Socket } from 'node:net';
import { BULK_FD_ENV, bulkSender } from '#main/engine/bulk/bulkSender';

const send = (m: unknown) =>
  new Promise<void>((done) => process.send!(m, undefined, {}, () => done()));
const fd = Number(process.env[BULK_FD_ENV]);
const pattern = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * seed) % 251);

async function main(): Promise<void> {
  switch (process.env.BULK_STAND_IN) {
    case 'good': {
      const sender = bulkSender((m, done) => process.send!(m, undefined, {}, done), fd);
      sender({ id: 1, frame: pattern(1 << 20, 7), small: pattern(10, 3) }, () => undefined);
      sender({ id: 2, note: 'no arrays' }, () => undefined);
      sender(
        { id: 3, planes: [new Float32Array(1 << 16).fill(0.5), pattern(200_000, 11)] },
        () => undefined,
      );
      break;
    }
    case 'bad-placeholder':
      await send({ id: 1, frame: { __bulkArray: 'Uint8Array', byteLength: Number.NaN } });
      break;
    case 'truncated': {
      // A placeholder for 1 MiB, half of the bytes, then the process dies.
      await send({ id: 1, frame: { __bulkArray: 'Uint8Array', byteLength: 1 << 20 } });
      const pipe = new Socket({ fd, readable: false, writable: true });
      pipe.write(pattern(1 << 19, 5), () => process.exit(3));
      return;
    }
  }
  process.on('disconnect', () => process.exit(0));
}

void main();
