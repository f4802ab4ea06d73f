import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';

/** The picture (and mask) a character had before a new picture replaced it. */
export interface PictureReplaced {
  fileName: string;
  picture: string;
  mask: string | null;
}

/** "Replaced the picture with …" and Undo: the project's undo, which gives the character its earlier picture back. */
export function PictureReplacedNote({
  replaced,
  onUndo,
  onClose,
}: {
  replaced: PictureReplaced;
  /** The project's undo (the replacement is a step of the one history, docs/editor.md). */
  onUndo: () => Promise<void>;
  onClose: () => void;
}) {
  const undo = async () => {
    await onUndo();
    onClose();
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
