import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { useStudio } from '../state/store';
import { studioTheme } from './theme';
import { NavigationRail } from './NavigationRail';
import { TopBar } from './TopBar';
import { ErrorStack } from '../components/ErrorStack';
import { ProjectBrowser } from '../views/ProjectBrowser';
import { CharacterPanel } from '../views/CharacterPanel';
import { EditorView } from '../views/editor/EditorView';
import { RenderView } from '../views/RenderView';
import { SettingsView } from '../views/SettingsView';

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
              <CurrentView />
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
