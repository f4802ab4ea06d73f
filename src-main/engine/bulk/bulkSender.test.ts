import { describe, expect, it } from 'vitest';
import { BULK_MIN_BYTES } from './bulkMessages';
import { bulkSender } from './bulkSender';

describe('the engine side of the bulk pipe', () => {
  it('sends whole messages through IPC when there is no usable bulk pipe', () => {
    const sent: unknown[] = [];
    const ipc = (m: unknown) => void sent.push(m);
    const frame = new Uint8Array(BULK_MIN_BYTES * 2);
    for (const fd of [undefined, Number.NaN, 1.5, -1, 2, 9999]) {
      sent.length = 0;
      const send = bulkSender(ipc, fd);
      send({ id: 1, frame }, () => undefined);
      expect(sent).toEqual([{ id: 1, frame }]);
      expect((sent[0] as { frame: Uint8Array }).frame).toBe(frame);
    }
  });
});
