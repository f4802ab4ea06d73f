import { describe, expect, it } from 'vitest';
import { parseProject } from './parse';
import { PROJECT_VERSION } from './schema';
import { renderSelection } from './selection';
import { sampleProject } from './testProjects';

describe('renderSelection', () => {
  it('returns the chosen character and track', () => {
    const s = renderSelection(parseProject(sampleProject()));
    expect(s.character.id).toBe('hero');
    expect(s.track.id).toBe('walk');
    expect([s.characterIndex, s.trackIndex]).toEqual([0, 0]);
  });

  it('names the missing choice', () => {
    expect(() => renderSelection(parseProject({ version: PROJECT_VERSION }))).toThrow(
      expect.objectContaining({
        field: 'render.characterId',
        reason: expect.stringMatching(/no character yet/),
      }),
    );
    const p = parseProject(sampleProject());
    delete p.render.trackId;
    expect(() => renderSelection(p)).toThrow(
      expect.objectContaining({
        field: 'render.trackId',
        reason: 'no pose track is chosen for rendering',
      }),
    );
    p.render.trackId = 'gone'; // not validated since: still named clearly
    expect(() => renderSelection(p)).toThrow(/render\.trackId: "gone" is not the id of any track/);
  });
});
