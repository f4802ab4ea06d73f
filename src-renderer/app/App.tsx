import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { Suspense, lazy, useEffect } from 'react';
import { useStudio } from '../state/store';
import { studioTheme } from './theme';
import { NavigationRail } from './NavigationRail';
import { TopBar } from './TopBar';
import { ErrorStack } from '../components/ErrorStack';
import { ProjectBrowser } from '../views/ProjectBrowser';
import { StepsBar } from '../views/steps/StepsBar';

// Views other than the first screen load on demand, so the studio is interactive sooner; once it
// is, the browser fetches them while idle so switching sections does not wait for the network.
const views = {
  character: () => import('../views/CharacterPanel').then((m) => ({ default: m.CharacterPanel })),
  editor: () => import('../views/editor/EditorView').then((m) => ({ default: m.EditorView })),
  render: () => import('../views/RenderView').then((m) => ({ default: m.RenderView })),
  settings: () => import('../views/SettingsView').then((m) => ({ default: m.SettingsView })),
};
const CharacterPanel = lazy(views.character);
const EditorView = lazy(views.editor);
const RenderView = lazy(views.render);
const SettingsView = lazy(views.settings);

function prefetchViews(): void {
  const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
  idle(() => {
    for (const load of [views.render, views.settings, views.character, views.editor]) void load();
  });
}

function CurrentView() {
  const view = useStudio((s) => s.view);
  switch (view) {
    case 'projects':
      return <ProjectBrowser />;
    case 'character':
      return <CharacterPanel />;
    case 'editor':
      return <EditorView />;
    case 'render':
      return <RenderView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const ready = useStudio((s) => s.ready);
  useEffect(() => {
    if (ready) prefetchViews();
  }, [ready]);
  const theme = useStudio((s) => s.settings?.theme ?? 'dark');
  return (
    <ThemeProvider theme={studioTheme(theme)}>
      <CssBaseline />
      <Box
        sx={{ display: 'flex', height: '100vh', overflow: 'hidden' }}
        data-testid={ready ? 'studio-ready' : 'studio-loading'}
      >
        <NavigationRail />
        <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
          <TopBar />
          <StepsBar />
          <Box component="main" sx={{ flex: 1, overflow: 'auto', p: 2 }}>
            {ready ? (
              <Suspense fallback={<CircularProgress />}>
                <CurrentView />
              </Suspense>
            ) : (
              <Box sx={{ display: 'grid', placeItems: 'center', height: '100%' }}>
                <CircularProgress />
              </Box>
            )}
          </Box>
        </Box>
        <ErrorStack />
      </Box>
    </ThemeProvider>
  );
}
