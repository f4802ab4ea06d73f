import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ThemeProvider } from '@mui/material/styles';
import { studioTheme } from '../../app/theme';
import { planLane } from '#shared/editor/editorState';
import { createTrackPose } from '#shared/editor/trackPose';
import { createEditorStore, type EditorStore } from '../editorStore';
import { EditorWorkspace } from '../EditorWorkspace';
import { loadSample } from './samples';
import { memoryClient } from './memoryClient';
import { ProjectEditor } from '../ProjectEditor';
import { fromPoseTrack } from '#shared/project/convert';

declare global {
  interface Window {
    /** The editor store of the standalone page, for e2e tests and the benchmark. */
    __editorStore?: EditorStore;
    /** `?sample=project`: the in-memory API client, to read what the editor saved. */
    __memoryClient?: ReturnType<typeof memoryClient>;
  }
}

/**
 * Standalone editor page (dev entry, e2e tests, benchmark): the same EditorWorkspace the shell
 * mounts, on a sample track. `?sample=bench` loads two full people on a 10,000-frame track.
 */
const params = new URLSearchParams(window.location.search);
const sample = loadSample(params.get('sample'));
const store = createEditorStore({
  track: sample.track,
  evaluate: createTrackPose(),
  ahistoric: { frameCount: sample.frameCount, fps: sample.fps },
});
store.setState({ plan: planLane(sample.plan, sample.states) });
if (params.get('sample') !== 'project') window.__editorStore = store;

/** `?sample=project`: the same sample through ProjectEditor, loading and saving via the API. */
function StandaloneProject() {
  const client = (window.__memoryClient ??= memoryClient(
    fromPoseTrack(sample.track, { id: 'track-1', name: 'Skier', fps: sample.fps }),
  ));
  const project = {
    path: 'memory/skier',
    name: 'Skier',
    width: sample.track.width,
    height: sample.track.height,
    fps: sample.fps,
    frameCount: sample.frameCount,
    people: 1,
    keyframes: 3,
  };
  return (
    <Box sx={{ height: '100vh' }}>
      <ProjectEditor
        client={client}
        project={project}
        picture={sample.picture}
        onStore={(s) => (window.__editorStore = s)}
      />
    </Box>
  );
}

function StandaloneEditor() {
  return (
    <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Box
        sx={{
          px: 2,
          py: 1,
          display: 'flex',
          alignItems: 'baseline',
          gap: 2,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          Pose Studio
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Pose editor · {sample.track.people.length}{' '}
          {sample.track.people.length > 1 ? 'people' : 'person'} · {sample.frameCount} frames at{' '}
          {sample.fps} fps
        </Typography>
      </Box>
      <Box sx={{ flex: 1, minHeight: 0 }}>
        <EditorWorkspace
          store={store}
          picture={sample.picture}
          projectKey={`standalone-${params.get('sample') ?? 'skier'}`}
          onPreviewTransition={(f) => store.getState().previewRange(f - 12, f + 12)}
        />
      </Box>
    </Box>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme={studioTheme('dark')}>
      <CssBaseline />
      {params.get('sample') === 'project' ? <StandaloneProject /> : <StandaloneEditor />}
    </ThemeProvider>
  </StrictMode>,
);
