import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OUTPUT_MARKER,
  claimOutput,
  makePartialFolder,
  moveIntoPlace,
  partialPath,
  removeDeadPartials,
} from './outputTarget';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ps-outtarget-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = { format: 'png', from: 0, to: 10 };
/** A pid that is certainly not running: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('output target rules', () => {
  it('temporary names are short, hidden, unique and keep a short extension', () => {
    const long = join(dir, `${'x'.repeat(251)}.mp4`);
    const a = basename(partialPath(long));
    expect(a).toMatch(/^\.pose-studio-partial-\d+-[0-9a-f]{8}\.mp4$/);
    expect(Buffer.byteLength(a)).toBeLessThan(50);
    expect(partialPath(long)).not.toBe(partialPath(long));
    // an absurd "extension" is not carried over
    expect(basename(partialPath(join(dir, `a.${'e'.repeat(100)}`)))).not.toMatch(/eee/);
  });

  it('refuses a file where a folder goes and the reverse, and a missing folder', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    mkdirSync(join(dir, 'd'));
    await expect(claimOutput(join(dir, 'f'), { kind: 'folder', identity: id })).rejects.toThrow(
      /exists and is a file/,
    );
    await expect(
      claimOutput(join(dir, 'd'), { kind: 'file', identity: id, overwrite: true }),
    ).rejects.toThrow(/exists and is a folder/);
    await expect(
      claimOutput(join(dir, 'nope', 'out.mp4'), { kind: 'file', identity: id }),
    ).rejects.toThrow(/output folder .*nope does not exist/);
  });

  it('a folder with the marker of another range or format is not this render’s', async () => {
    const out = join(dir, 'frames');
    mkdirSync(out);
    writeFileSync(join(out, 'frame_000000.png'), 'x');
    writeFileSync(join(out, OUTPUT_MARKER), JSON.stringify({ ...id, to: 20 }));
    await expect(claimOutput(out, { kind: 'folder', identity: id })).rejects.toThrow(
      /did not make/,
    );
    writeFileSync(join(out, OUTPUT_MARKER), '{not json');
    await expect(claimOutput(out, { kind: 'folder', identity: id })).rejects.toThrow(
      /did not make/,
    );
    writeFileSync(join(out, OUTPUT_MARKER), JSON.stringify(id));
    await expect(claimOutput(out, { kind: 'folder', identity: id })).resolves.toBeUndefined();
  });

  it('moves into a folder that appeared meanwhile, keeping its files', async () => {
    const out = join(dir, 'frames');
    const tmp = await makePartialFolder(out);
    writeFileSync(join(tmp, 'frame_000001.png'), 'new');
    mkdirSync(out); // created by someone else after the claim
    writeFileSync(join(out, 'theirs.txt'), 'keep');
    await moveIntoPlace(tmp, out, 'folder', id);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'frame_000001.png', 'theirs.txt']);
    expect(existsSync(tmp)).toBe(false);
  });

  it('removes only temporary outputs of dead processes, never look-alikes', async () => {
    const dead = deadPid();
    const out = join(dir, 'clip.mp4');
    const names = [
      `.pose-studio-partial-${dead}-0123abcd.mp4`, // dead: removed
      `.pose-studio-partial-${process.pid}-0123abcd.mp4`, // alive (this process): kept
      '.pose-studio-partial-notes.txt', // no pid: kept
      `.clip.partial-${dead}.mp4`, // the older naming, dead: removed
      `.other.partial-${dead}.mp4`, // older naming of another output: kept
      'clip.mp4',
    ];
    for (const n of names) writeFileSync(join(dir, n), 'x');
    expect((await removeDeadPartials(out)).sort()).toEqual([names[0], names[3]].sort());
    expect(readdirSync(dir).sort()).toEqual([names[1], names[2], names[4], names[5]].sort());
  });
});
