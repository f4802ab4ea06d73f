import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useStudio } from '../state/store';
import { runningJobCount } from '../views/jobProgress';

export function TopBar() {
  const project = useStudio((s) => s.project);
  const info = useStudio((s) => s.info);
  const running = useStudio((s) => runningJobCount(s.progress));
  return (
    <Box
      component="header"
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 2,
        px: 2,
        height: 48,
        borderBottom: 1,
        borderColor: 'divider',
        flexShrink: 0,
      }}
    >
      {/* The page's one level-one heading (screen readers jump to it). */}
      <Typography variant="subtitle1" component="h1" sx={{ fontWeight: 600 }}>
        Pose Studio
      </Typography>
      <Typography
        variant="body2"
        color="text.secondary"
        data-testid="project-title"
        noWrap
        sx={{ flex: 1 }}
      >
        {project
          ? `${project.name} — ${project.width}×${project.height}, ${project.fps} fps, ${project.frameCount} frames`
          : 'No project open'}
      </Typography>
      {running > 0 && <Chip size="small" color="primary" label={`${running} rendering`} />}
      {info && (
        <Chip
          size="small"
          variant="outlined"
          label={info.mode === 'browser' ? 'Browser mode' : 'Desktop'}
        />
      )}
    </Box>
  );
}
