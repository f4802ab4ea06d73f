import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Character } from '#shared/api/index';
import type { CharacterMaskView } from '#shared/api/characterMask';
import { api } from '../api/client';
import { attempt } from '../state/store';
import { automaticMaskText, characterFacts, maskSourceText } from './characterText';

function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('could not read the mask file'));
    reader.readAsDataURL(file);
  });
}

/**
 * The character's mask as the puppet makes it: where it came from, the mask itself and every
 * warning with its fix (`character.mask`), and the user's way to replace it (import a PNG) or go
 * back to the automatic one. `onMask` hands the checked mask to the picture for its overlay.
 */
export function CharacterMaskCard(props: {
  character: Character;
  aspect: string;
  /** The last checked mask (the panel clears it when the picture or pose changes). */
  mask: CharacterMaskView | null;
  onCharacter(c: Character): void;
  onMask(mask: CharacterMaskView | null): void;
}) {
  const { character, aspect, mask: view } = props;
  const [checking, setChecking] = useState(false);

  const check = async () => {
    setChecking(true);
    try {
      props.onMask((await attempt(() => api.call('character.mask', {}))) ?? null);
    } finally {
      setChecking(false);
    }
  };
  const changed = async (c: Character | undefined) => {
    if (!c) return;
    props.onCharacter(c);
    await check();
  };
  // A file input made on demand, not kept in the page: the picture's input stays the view's only
  // one (drops and tests find it without telling the two apart).
  const pickMask = () => {
    const el = document.createElement('input');
    el.type = 'file';
    el.accept = 'image/png';
    el.onchange = () => {
      const f = el.files?.[0];
      if (!f) return;
      void attempt(async () =>
        api.call('character.importMask', { fileName: f.name, dataBase64: await readBase64(f) }),
      ).then(changed);
    };
    el.click();
  };

  return (
    <Card>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="subtitle2" sx={{ flex: 1 }}>
            Mask
          </Typography>
          <Button
            size="small"
            disabled={!character.picture || checking}
            onClick={() => void check()}
            startIcon={checking ? <CircularProgress size={14} /> : undefined}
            data-testid="check-mask"
          >
            {checking ? 'Checking…' : 'Check mask'}
          </Button>
          <Button
            size="small"
            disabled={!character.picture}
            onClick={pickMask}
            data-testid="import-mask"
          >
            Import mask…
          </Button>
        </Stack>
        {view ? (
          <>
            <Box
              component="img"
              src={`data:image/png;base64,${view.maskPngBase64}`}
              alt="the mask the puppet uses"
              data-testid="character-mask"
              sx={{ width: '100%', aspectRatio: aspect, bgcolor: '#000' }}
            />
            <Typography variant="body2" sx={{ mt: 1 }} data-testid="mask-source">
              {maskSourceText(view.source)}
            </Typography>
            <Stack spacing={1} sx={{ mt: 1 }} data-testid="mask-warnings">
              {view.warnings.map((w) => (
                <Alert key={w.code} severity={w.code === 'rough-mask' ? 'warning' : 'info'}>
                  {w.message}. {w.fix}.
                </Alert>
              ))}
            </Stack>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {automaticMaskText(Boolean(character.mask))}
          </Typography>
        )}
        {character.mask && (
          <Button
            size="small"
            sx={{ mt: 1 }}
            onClick={() => void attempt(() => api.call('character.clearMask', {})).then(changed)}
            data-testid="clear-mask"
          >
            Use the automatic mask
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {characterFacts(character)}
        </Typography>
      </CardContent>
    </Card>
  );
}
