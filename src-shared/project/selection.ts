/**
 * What a render animates: the character and the pose track chosen in `render`. The schema lets
 * both be unset while a project is being set up; anything that renders asks here and gets a
 * `ProjectError` naming the field when the choice is missing.
 */
import { ProjectError } from './errors';
import type { CharacterJson, Project, TrackJson } from './schema';

export interface RenderSelection {
  character: CharacterJson;
  characterIndex: number;
  track: TrackJson;
  trackIndex: number;
}

export function renderSelection(project: Project): RenderSelection {
  const { characterId, trackId } = project.render;
  if (characterId === undefined)
    throw new ProjectError(
      'render.characterId',
      project.characters.length
        ? 'no character is chosen for rendering'
        : 'the project has no character yet (add a picture first)',
    );
  if (trackId === undefined)
    throw new ProjectError(
      'render.trackId',
      project.tracks.length
        ? 'no pose track is chosen for rendering'
        : 'the project has no pose track yet',
    );
  const characterIndex = project.characters.findIndex((c) => c.id === characterId);
  if (characterIndex < 0)
    throw new ProjectError('render.characterId', `"${characterId}" is not the id of any character`);
  const trackIndex = project.tracks.findIndex((t) => t.id === trackId);
  if (trackIndex < 0)
    throw new ProjectError('render.trackId', `"${trackId}" is not the id of any track`);
  return {
    character: project.characters[characterIndex]!,
    characterIndex,
    track: project.tracks[trackIndex]!,
    trackIndex,
  };
}
