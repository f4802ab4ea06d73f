import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { Suspense, lazy } from 'react';
import { useStudio } from '../state/store';
import { studioTheme } from './theme';
import { NavigationRail } from './NavigationRail';
import { TopBar } from './TopBar';
import { ErrorStack } from '../components/ErrorStack';
import { ProjectBrowser } from '../views/ProjectBrowser';

// Views other than the first screen load on demand, so the studio is interactive sooner.
const CharacterPanel = lazy(() =>
  import('../views/CharacterPanel').then((m) => ({ default: m.CharacterPanel })),
);
const EditorView = lazy(() =>
  import('../views/editor/EditorView').then((m) => ({ default: m.EditorView })),
);
const RenderView = lazy(() =>
  import('../views/RenderView').then((m) => ({ default: m.RenderView })),
);
const SettingsView = lazy(() =>
  import('../views/SettingsView').then((m) => ({ default: m.SettingsView })),
);

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
