import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import FolderOpen from '@mui/icons-material/FolderOpen';
import Person from '@mui/icons-material/Person';
import Timeline from '@mui/icons-material/Timeline';
import Movie from '@mui/icons-material/Movie';
import SettingsIcon from '@mui/icons-material/Settings';
import type { ReactNode } from 'react';
import { useStudio, type View } from '../state/store';

const ITEMS: { view: View; label: string; icon: ReactNode; needsProject: boolean }[] = [
  { view: 'projects', label: 'Projects', icon: <FolderOpen />, needsProject: false },
  { view: 'character', label: 'Character', icon: <Person />, needsProject: true },
  { view: 'editor', label: 'Editor', icon: <Timeline />, needsProject: true },
  { view: 'render', label: 'Render', icon: <Movie />, needsProject: true },
  { view: 'settings', label: 'Settings', icon: <SettingsIcon />, needsProject: false },
];

/** The studio's main sections, always visible on the left. */
export function NavigationRail() {
  const view = useStudio((s) => s.view);
  const hasProject = useStudio((s) => s.project !== null);
  const setView = useStudio((s) => s.setView);
  return (
    <Box
      component="nav"
      aria-label="Sections"
      sx={{
        width: 84,
        flexShrink: 0,
        bgcolor: 'background.paper',
        borderRight: 1,
        borderColor: 'divider',
        pt: 1,
      }}
    >
      {ITEMS.map((item) => {
        const selected = view === item.view;
        const disabled = item.needsProject && !hasProject;
        return (
          <ButtonBase
            key={item.view}
            data-testid={`nav-${item.view}`}
            aria-current={selected ? 'page' : undefined}
            disabled={disabled}
            onClick={() => setView(item.view)}
            sx={{
              width: '100%',
              py: 1.5,
              flexDirection: 'column',
              gap: 0.5,
              color: selected ? 'primary.main' : disabled ? 'text.disabled' : 'text.secondary',
              bgcolor: selected ? 'action.selected' : 'transparent',
            }}
          >
            {item.icon}
            <Typography variant="caption">{item.label}</Typography>
          </ButtonBase>
        );
      })}
    </Box>
  );
}
