import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MovieIcon from '@mui/icons-material/Movie';
import CircularProgress from '@mui/material/CircularProgress';
import { fromPoseTrack, toPoseTrack, type TrackInfo } from '#shared/project/convert';
import type { TrackJson } from '#shared/project/schema';
import type { PoseTrack } from '#shared/pose/types';
import { createTrackPose } from '#shared/editor/trackPose';
import type { PlanLaneSegment } from '#shared/editor/editorState';
import { characterReferenceFrame, type RenderPlanView } from '#shared/api/index';
import { api } from '../../api/client';
import { createEditorStore, type EditorStore } from '../../editor/editorStore';
import { EditorWorkspace } from '../../editor/EditorWorkspace';
import { nearestTransition } from '../../editor/timelineLanes';
import { attempt, useStudio } from '../../state/store';
import { TransitionPlayer, type PreviewState } from './TransitionPlayer';
import { previewFrames } from './transitionPreview';
import { PickMotionButton } from '../motion/PickMotionButton';

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
  const [doc, setDoc] = useState<{ store: EditorStore; info: TrackInfo } | null>(null);
  const [plan, setPlan] = useState<RenderPlanView | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const previewRun = useRef(0);
  // What motion-capture imports are retargeted onto (one object per character change).
  const characterPose = useMemo(() => characterReferenceFrame(character), [character]);

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
        save={save}
        onPreviewTransition={(f) => void previewTransition(f)}
        overlay={
          <>
            <PickMotionButton store={doc.store} fps={doc.info.fps} character={characterPose} />
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

/** A project without a pose track starts with an empty one on the output canvas. */
function newTrack(width: number, height: number, fps: number): TrackJson {
  return { id: 'track-1', name: 'Pose track', width, height, fps, people: [] };
}
