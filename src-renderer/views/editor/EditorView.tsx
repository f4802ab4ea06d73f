import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MovieIcon from '@mui/icons-material/Movie';
import CircularProgress from '@mui/material/CircularProgress';
import type { PoseTrack } from '#shared/pose/types';
import type { PlanLaneSegment } from '#shared/editor/editorState';
import { characterPoseOnCanvas } from '#shared/editor/seedTrack';
import type { RenderPlanView } from '#shared/api/index';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { api } from '../../api/client';
import { EditorWorkspace } from '../../editor/EditorWorkspace';
import { useProjectDocument } from '../../editor/projectDocument';
import { nearestTransition } from '../../editor/timelineLanes';
import { useStudio } from '../../state/store';
import { TransitionPlayer, type PreviewState } from './TransitionPlayer';
import { previewFrames } from './transitionPreview';
import { PickMotionButton } from '../motion/PickMotionButton';
import { VideoImportButton } from '../video/VideoImportButton';
import { VideoImportDialog } from '../video/VideoImportDialog';

/** Frames rendered each side of a boundary (the API's default too). */
const PREVIEW_SIDE = 12;

/**
 * Where the Konva pose editor and keyframe timeline (src-renderer/editor/) live in the shell. It
 * gets the project's pose track over the API (`track.get`) and saves it back with `track.save`
 * (validated by the project schema on the service side). The timeline's plan lane comes from
 * `render.plan` (refreshed after saves and render events); "preview transition" (double-click on
 * the plan lane, or the button: boundary nearest the playhead) renders the frames around the
 * boundary with `render.previewTransition` and plays them in a small overlay.
 */
export function EditorView() {
  const project = useStudio((s) => s.project);
  const character = useStudio((s) => s.character);
  const version = useStudio((s) => s.characterVersion);
  // The project's track and its one undo history, shared with the Character view.
  const doc = useProjectDocument();
  const [plan, setPlan] = useState<RenderPlanView | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const previewRun = useRef(0);
  const [video, setVideo] = useState<File | null>(null);
  // What motion-capture imports are retargeted onto: the character as the Editor shows it, on
  // the track's canvas (one object per character or canvas change).
  const canvas = useStore(doc?.store ?? NO_STORE, (s) => `${s.track.width}x${s.track.height}`);
  const characterPose = useMemo(() => {
    const [width = 0, height = 0] = canvas.split('x').map(Number);
    const points = characterPoseOnCanvas(character, { width, height });
    return points ? { width, height, people: [{ id: 0, points }] } : null;
  }, [character, canvas]);

  // Plan lane: segments of the render plan with their state, whenever something may change them.
  const refreshPlan = useCallback(async () => {
    try {
      setPlan(await api.call('render.plan', {}));
    } catch {
      setPlan(null); // no keyframes or no character yet: an empty lane says it
    }
  }, []);
  useEffect(() => {
    if (!doc) return;
    // The service already resolved each segment's state; the lane takes the segments as they are.
    const lane: PlanLaneSegment[] = plan?.segments ?? [];
    doc.store.setState({ plan: lane });
  }, [doc, plan]);
  useEffect(() => {
    if (!project) return;
    void refreshPlan();
    let lastSegment: number | null = null;
    const offJob = api.on('render.job', () => void refreshPlan());
    const offProgress = api.on('render.progress', (p) => {
      if (p.segmentIndex === lastSegment) return;
      lastSegment = p.segmentIndex;
      void refreshPlan();
    });
    return () => {
      offJob();
      offProgress();
    };
  }, [project?.path, refreshPlan]);

  if (!project || !doc) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <CircularProgress />
      </Box>
    );
  }

  const save = async (track: PoseTrack) => {
    await doc.save(track);
    void refreshPlan();
  };

  const previewTransition = async (boundary: number) => {
    const run = ++previewRun.current;
    const { from, to } = previewFrames(boundary, plan, PREVIEW_SIDE);
    setPreview({ kind: 'rendering', boundary, from, to, startedAt: Date.now() });
    try {
      // Unsaved edits first, so the preview shows what the editor shows.
      await save(doc.store.getState().track);
      const result = await api.call('render.previewTransition', { frame: boundary });
      if (run === previewRun.current) setPreview({ kind: 'ready', preview: result });
    } catch (e) {
      if (run === previewRun.current)
        setPreview({
          kind: 'failed',
          boundary,
          message: e instanceof Error ? e.message : String(e),
        });
    }
  };
  const nearestBoundary = () => {
    const { plan: lane, ahistoric } = doc.store.getState();
    return nearestTransition(lane, ahistoric.frame);
  };
  const boundaries = plan ? plan.segments.length - 1 : 0;

  return (
    <Box
      sx={{ height: 'calc(100% + 32px)', m: -2 }}
      data-testid="editor-view"
      data-plan-segments={plan?.segments.length ?? 0}
      data-plan-states={plan?.segments.map((s) => s.state).join(',') ?? ''}
    >
      <EditorWorkspace
        store={doc.store}
        picture={character?.picture ? api.mediaUrl(character.picture, version) : null}
        projectKey={project.path}
        character={characterPose}
        pictureSize={
          character?.picture
            ? { width: character.pictureWidth, height: character.pictureHeight }
            : null
        }
        save={save}
        onPreviewTransition={(f) => void previewTransition(f)}
        onVideoFile={setVideo}
        shortcuts={!video}
        overlay={
          <>
            {/* Where a motion comes from: one row above the preview button. */}
            <Box sx={{ position: 'absolute', left: 12, bottom: 52, display: 'flex', gap: 1 }}>
              <PickMotionButton store={doc.store} fps={doc.info.fps} character={characterPose} />
              <VideoImportButton onFile={setVideo} />
            </Box>
            <VideoImportDialog file={video} store={doc.store} onClose={() => setVideo(null)} />
            <Button
              size="small"
              variant="outlined"
              startIcon={<MovieIcon />}
              disabled={boundaries < 1 || preview?.kind === 'rendering'}
              onClick={() => {
                const b = nearestBoundary();
                if (b !== undefined) void previewTransition(b);
              }}
              sx={{ position: 'absolute', left: 12, bottom: 12, bgcolor: 'rgba(18,20,24,0.8)' }}
              data-testid="preview-transition"
              title="Render the frames around the segment boundary nearest the playhead with the fast generator and play them (or double-click the plan lane)"
            >
              Preview transition
            </Button>
            {preview && <TransitionPlayer state={preview} onClose={() => setPreview(null)} />}
          </>
        }
      />
    </Box>
  );
}

/** Stands in for the store until the project's document is loaded (hooks run every render). */
const NO_STORE = createStore(() => ({ track: { width: 0, height: 0 } }));
