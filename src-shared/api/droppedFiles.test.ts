import { describe, expect, it } from 'vitest';
import { droppedKind, dropRefusal } from './droppedFiles';

describe('dropped files', () => {
  it('knows each kind by extension, whatever the case, and by type when there is none', () => {
    expect(droppedKind('Hero.PNG')).toBe('picture');
    expect(droppedKind('photo.jpeg', 'image/jpeg')).toBe('picture');
    expect(droppedKind('walk.bvh')).toBe('pose');
    expect(droppedKind('dance.json', 'application/json')).toBe('pose');
    expect(droppedKind('clip.MOV', 'video/quicktime')).toBe('video');
    expect(droppedKind('loop.gif', 'image/gif')).toBe('video');
    expect(droppedKind('camera-roll', 'video/mp4')).toBe('video');
    expect(droppedKind('scan', 'image/png')).toBe('picture');
    expect(droppedKind('notes.txt', 'text/plain')).toBe('other');
    expect(droppedKind('.mp4')).toBe('other'); // a dot file, not an extension
    // The extension wins over a type the browser guessed wrong.
    expect(droppedKind('pose.json', 'video/mp4')).toBe('pose');
  });

  it('each target takes its kinds and refuses the rest in words, saying where they go', () => {
    expect(dropRefusal('character', [{ name: 'me.jpg' }])).toBeNull();
    expect(dropRefusal('motion', [{ name: 'dance.mp4' }])).toBeNull();
    expect(dropRefusal('motion', [{ name: 'walk.bvh' }])).toBeNull();
    expect(dropRefusal('character', [{ name: 'dance.mp4' }])).toBe(
      'dance.mp4 is a video: the Character view does not take it. Drop pose files and videos on the Editor.',
    );
    expect(dropRefusal('motion', [{ name: 'me.png' }])).toBe(
      'me.png is a picture: the Editor does not take it. Drop pictures on the Character view.',
    );
    expect(dropRefusal('motion', [{ name: 'report.pdf', type: 'application/pdf' }])).toMatch(
      /^report\.pdf is not a picture, pose file or video: the Editor does not take it\. The Editor takes pose files/,
    );
    expect(dropRefusal('character', [])).toMatch(/Nothing was dropped/);
  });
});
