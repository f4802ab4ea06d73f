import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import type { PoseStudioClient, ProjectSummary } from '#shared/api/index';
import { fromPoseTrack, toPoseTrack } from '#shared/project/convert';
import type { PoseTrack } from '#shared/pose/types';
import { createTrackPose } from '#shared/editor/trackPose';
import { createEditorStore, type EditorStore } from './editorStore';
import { EditorWorkspace } from './EditorWorkspace';

export interface ProjectEditorProps {
  /** The studio's typed API client (IPC in the desktop app, WebSocket in browser mode). */
  client: PoseStudioClient;
  /** The open project (its path identifies the crash-recovery copy). */
  project: ProjectSummary;
  /** URL of the picture under the skeleton (e.g. `client.mediaUrl(character.picture)`), or null. */
  picture?: string | null;
  onPreviewTransition?: (boundaryFrame: number) => void;
  /** Receives the editor store once the track is loaded (to feed the render-plan lane). */
  onStore?: (store: EditorStore) => void;
}

type Loaded = { store: EditorStore; save: (t: PoseTrack) => Promise<void> };

/**
 * The editor bound to a project through the API: loads the render track (`track.get`), edits it
 * in an EditorWorkspace and autosaves it back (`track.save`). A project without a track gets an
 * empty one on the project's canvas (import a pose file to fill it).
 */
export function ProjectEditor({
  client,
  project,
  picture,
  onPreviewTransition,
  onStore,
}: ProjectEditorProps) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoaded(null);
    setError(null);
    client
      .call('track.get', {})
      .then((json) => {
        if (cancelled) return;
        const info = {
          id: json?.id ?? 'track-1',
          name: json?.name ?? 'Pose track',
          fps: json?.fps ?? project.fps,
        };
        const track: PoseTrack = json
          ? toPoseTrack(json)
          : { width: project.width, height: project.height, people: [] };
        const lastKey = Math.max(
          0,
          ...track.people.flatMap((p) => p.keyframes.map((k) => k.frame)),
        );
        const store = createEditorStore({
          track,
          evaluate: createTrackPose(),
          ahistoric: { fps: info.fps, frameCount: Math.max(project.frameCount, lastKey + 1, 1) },
        });
        const save = async (t: PoseTrack) => {
          await client.call('track.save', { track: fromPoseTrack(t, info) });
        };
        setLoaded({ store, save });
        onStore?.(store);
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
    // Reload when another project is opened, not on every summary refresh.
  }, [client, project.path]);

  if (error) return <Alert severity="error">Could not open the pose track: {error}</Alert>;
  if (!loaded)
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <CircularProgress />
      </Box>
    );
  return (
    <EditorWorkspace
      store={loaded.store}
      projectKey={project.path}
      picture={picture ?? null}
      save={loaded.save}
      {...(onPreviewTransition ? { onPreviewTransition } : {})}
    />
  );
}
