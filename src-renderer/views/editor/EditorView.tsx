import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useStudio } from '../../state/store';

/**
 * The place of the Konva pose editor and keyframe timeline (issue 7). It mounts here, inside the
 * shell, and talks to the services only through `api` (src-renderer/api/client.ts). Until it
 * lands this view shows what the pose track holds.
 */
export function EditorView() {
  const project = useStudio((s) => s.project);
  return (
    <Card sx={{ maxWidth: 720 }} data-testid="editor-view">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Pose editor
        </Typography>
        {project && (
          <Typography variant="body2">
            Pose track: {project.people} {project.people === 1 ? 'person' : 'people'},{' '}
            {project.keyframes} keyframes over {project.frameCount} frames (
            {(project.frameCount / project.fps).toFixed(1)} s at {project.fps} fps).
          </Typography>
        )}
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          The keyframe editor and timeline are not part of this version yet; edit poses by importing
          pose files with the CLI.
        </Typography>
      </CardContent>
    </Card>
  );
}
