import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { RenderSettingsForm } from './RenderSettingsForm';
import { RenderQueue } from './RenderQueue';
import { PreviewPlayer } from './PreviewPlayer';
import { CoherencePanel } from './coherence/CoherencePanel';

export function RenderView() {
  return (
    <Stack spacing={2} sx={{ maxWidth: 1200 }}>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Render settings
          </Typography>
          <RenderSettingsForm />
        </CardContent>
      </Card>
      <PreviewPlayer />
      <CoherencePanel />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Render queue
          </Typography>
          <RenderQueue />
        </CardContent>
      </Card>
    </Stack>
  );
}
