import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import FolderOpen from '@mui/icons-material/FolderOpen';
import Person from '@mui/icons-material/Person';
import Timeline from '@mui/icons-material/Timeline';
import Movie from '@mui/icons-material/Movie';
import SettingsIcon from '@mui/icons-material/Settings';
import Badge from '@mui/material/Badge';
import type { ReactNode } from 'react';
import { STEP_VIEW, type StepState } from '#shared/api/index';
import { useStudio, type View } from '../state/store';
import { useStudioSteps } from '../views/steps/useStudioSteps';

/**
 * A view's badge on the rail: ✓ when all its guided steps are done, ! when one is still to do
 * (nothing for views outside the guided order, or while no project is open).
 */
function stepBadge(steps: StepState[] | null, view: View): { text: string; label: string } | null {
  if (!steps) return null;
  const mine = steps.filter((s) => STEP_VIEW[s.step] === view && s.step !== 'render');
  if (mine.length === 0) return null;
  return mine.every((s) => s.done) ? { text: '✓', label: 'done' } : { text: '!', label: 'to do' };
}

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
  const steps = useStudioSteps();
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
        const badge = stepBadge(steps, item.view);
        return (
          <ButtonBase
            key={item.view}
            data-testid={`nav-${item.view}`}
            aria-current={selected ? 'page' : undefined}
            aria-label={badge ? `${item.label} (${badge.label})` : undefined}
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
            <Badge
              badgeContent={badge?.text}
              color={badge?.text === '✓' ? 'success' : 'warning'}
              invisible={!badge}
              slotProps={{ badge: { 'aria-hidden': true } }}
              data-testid={badge ? `nav-${item.view}-badge` : undefined}
              data-state={badge?.label}
            >
              {item.icon}
            </Badge>
            <Typography variant="caption">{item.label}</Typography>
          </ButtonBase>
        );
      })}
    </Box>
  );
}
