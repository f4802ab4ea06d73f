import { useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';

export interface OpenSampleCardProps {
  busy: boolean;
  /** Copies the sample into `folder` (empty: the service's suggestion) and opens the copy. */
  open(folder: string): Promise<void>;
}

/**
 * "Start from the sample": the shipped Sprout project, copied into a new folder (the service
 * suggests one under the user's documents; a folder with anything in it is refused) and opened.
 */
export function OpenSampleCard({ busy, open }: OpenSampleCardProps) {
  const [folder, setFolder] = useState('');
  const [suggested, setSuggested] = useState('');
  useEffect(() => {
    let cancelled = false;
    api
      .call('projects.sampleFolder', {})
      .then((r) => !cancelled && setSuggested(r.folder))
      .catch(() => undefined); // no suggestion: the user types a folder
    return () => {
      cancelled = true;
    };
  }, [busy]);
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Start from the sample
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          A copy of Sprout, a drawn character with four motions (wave, walk, jump, dance), ready to
          render. Replace its picture with your own to animate your character.
        </Typography>
        <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField
            fullWidth
            label="Folder for the copy (new or empty)"
            placeholder={suggested}
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            slotProps={{
              inputLabel: { shrink: true },
              htmlInput: { 'data-testid': 'sample-folder' },
            }}
            helperText={folder.trim() === '' && suggested ? `Empty: ${suggested}` : ' '}
          />
          <Button
            variant="contained"
            disabled={busy}
            data-testid="open-sample"
            onClick={() => void open(folder.trim())}
            sx={{ whiteSpace: 'nowrap' }}
          >
            Open sample
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}
