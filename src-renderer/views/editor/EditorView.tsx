import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { fromPoseTrack, toPoseTrack, type TrackInfo } from '../../../src-shared/project/convert';
import type { TrackJson } from '../../../src-shared/project/schema';
import type { PoseTrack } from '../../../src-shared/pose/types';
import { createTrackPose } from '../../../src-shared/editor/trackPose';
import { api } from '../../api/client';
import { createEditorStore, type EditorStore } from '../../editor/editorStore';
import { EditorWorkspace } from '../../editor/EditorWorkspace';
import { attempt, useStudio } from '../../state/store';

/**
 * Where the Konva pose editor and keyframe timeline (src-renderer/editor/) live in the shell. It
 * gets the project's pose track over the API (`track.get`) and saves it back with `track.save`
 * (validated by the project schema on the service side).
 */
export function EditorView() {
  const project = useStudio((s) => s.project);
  const character = useStudio((s) => s.character);
  const version = useStudio((s) => s.characterVersion);
  const [doc, setDoc] = useState<{ store: EditorStore; info: TrackInfo } | null>(null);

  useEffect(() => {
    if (!project) return;
    let cancelled = false;
    void attempt(() => api.call('track.get', {})).then((json) => {
      if (cancelled || json === undefined) return;
      const track: TrackJson = json ?? newTrack(project.width, project.height, project.fps);
      const store = createEditorStore({
        track: toPoseTrack(track),
        evaluate: createTrackPose(),
        ahistoric: { frameCount: Math.max(project.frameCount, 1), fps: track.fps },
      });
      setDoc({ store, info: { id: track.id, name: track.name, fps: track.fps } });
    });
    return () => {
      cancelled = true;
    };
  }, [project?.path]);

  if (!project || !doc) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <CircularProgress />
      </Box>
    );
  }

  const save = async (track: PoseTrack) => {
    const summary = await api.call('track.save', { track: fromPoseTrack(track, doc.info) });
    useStudio.setState({ project: summary });
  };

  return (
    <Box sx={{ height: 'calc(100% + 32px)', m: -2 }} data-testid="editor-view">
      <EditorWorkspace
        store={doc.store}
        picture={character?.picture ? api.mediaUrl(character.picture, version) : null}
        projectKey={project.path}
        save={save}
        onPreviewTransition={(f) => doc.store.getState().previewRange(f - 12, f + 12)}
      />
    </Box>
  );
}

/** A project without a pose track starts with an empty one on the output canvas. */
function newTrack(width: number, height: number, fps: number): TrackJson {
  return { id: 'track-1', name: 'Pose track', width, height, fps, people: [] };
}
