import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { Character } from '#shared/api/model';
import { api } from '../api/client';
import { attempt } from '../state/store';

/** The picture (and mask) a character had before a new picture replaced it. */
export interface PictureReplaced {
  fileName: string;
  picture: string;
  mask: string | null;
}

/** "Replaced the picture with …" and Undo, which gives the character its earlier picture back. */
export function PictureReplacedNote({
  replaced,
  onRestored,
  onClose,
}: {
  replaced: PictureReplaced;
  onRestored: (c: Character) => void;
  onClose: () => void;
}) {
  const undo = async () => {
    const c = await attempt(() =>
      api.call('character.restorePicture', { picture: replaced.picture, mask: replaced.mask }),
    );
    if (c) onRestored(c);
  };
  return (
    <Alert
      severity="success"
      onClose={onClose}
      data-testid="picture-replaced"
      action={
        <Button color="inherit" size="small" onClick={() => void undo()} data-testid="undo-picture">
          Undo
        </Button>
      }
    >
      Replaced the picture with {replaced.fileName}. The pose was kept: press Detect pose to fit it
      to the new picture.
    </Alert>
  );
}
