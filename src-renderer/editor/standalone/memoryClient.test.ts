import { describe, expect, it } from 'vitest';
import type { TrackJson } from '#shared/project/schema';
import { memoryClient } from './memoryClient';

const track = (): TrackJson => ({
  id: 'track-1',
  name: 'Pose track',
  width: 640,
  height: 480,
  fps: 24,
  people: [],
});

describe('standalone editor memory client', () => {
  it('gives back the track it holds, and the saved one after a save', async () => {
    const c = memoryClient(track());
    await expect(c.call('track.get', {})).resolves.toMatchObject({ id: 'track-1' });
    const summary = await c.call('track.save', { track: { ...track(), name: 'Walk' } });
    expect(summary).toMatchObject({ width: 640, height: 480, fps: 24, people: 0 });
    await expect(c.call('track.get', {})).resolves.toMatchObject({ name: 'Walk' });
    expect(c.saved.map((t) => t.name)).toEqual(['Walk']);
    await expect(memoryClient(null).call('track.get', {})).resolves.toBeNull();
  });

  it('refuses a bad track like the project schema does, naming the field, and keeps the old one', async () => {
    const c = memoryClient(track());
    const bad = { ...track(), name: '', fps: -1 } as TrackJson;
    await expect(c.call('track.save', { track: bad })).rejects.toThrow(
      /^track\.save: (name|fps): /,
    );
    expect(c.saved).toEqual([]);
    await expect(c.call('track.get', {})).resolves.toMatchObject({ name: 'Pose track', fps: 24 });
  });

  it('refuses everything else, so the page cannot pretend to render', async () => {
    await expect(memoryClient(track()).call('render.defaults', {})).rejects.toThrow(
      'render.defaults is not available in the standalone editor',
    );
  });
});
