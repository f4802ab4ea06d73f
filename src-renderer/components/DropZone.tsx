import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import FileUploadIcon from '@mui/icons-material/FileUpload';
import type { SxProps, Theme } from '@mui/material/styles';
import { DROP_TARGETS, dropRefusal, type DropTarget } from '#shared/api/droppedFiles';

/** How long a refusal stays on the zone. */
const REFUSAL_MS = 8000;

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

export interface DropZoneHandlers {
  onDragEnter(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
  'data-drop-target': DropTarget;
  'data-dragging': 'true' | 'false';
}

/**
 * A place that takes dropped files, as handlers to spread on an element (which must be
 * `position: relative`) and what to draw inside it: while files are dragged over, an outline
 * that says what it takes; a file of a kind it takes goes to `onFile`, any other is refused in
 * words on the zone itself. Handled drops never reach the browser, which would open the file in
 * place of the studio.
 */
export function useDropZone(
  target: DropTarget,
  onFile: (file: File) => void,
): { handlers: DropZoneHandlers; shown: ReactNode } {
  // dragenter/dragleave fire for every child crossed: count them, show the zone while > 0.
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => {
    if (!refused) return;
    const t = setTimeout(() => setRefused(null), REFUSAL_MS);
    return () => clearTimeout(t);
  }, [refused]);

  const handlers: DropZoneHandlers = {
    'data-drop-target': target,
    'data-dragging': dragging ? 'true' : 'false',
    onDragEnter(e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    },
    onDragOver(e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(e) {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop(e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation(); // handled here: the page-wide guard must not call it ignored
      depth.current = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer.files);
      const refusal = dropRefusal(target, files);
      setRefused(refusal);
      if (!refusal) onFile(files[0]!);
    },
  };
  const shown = (
    <>
      {dragging && <DropOverlay target={target} />}
      {refused && (
        <Alert
          severity="warning"
          role="alert"
          data-testid="drop-refused"
          onClose={() => setRefused(null)}
          sx={{
            position: 'absolute',
            top: 8,
            left: '50%',
            transform: 'translateX(-50%)',
            zIndex: 1300,
            maxWidth: '90%',
          }}
        >
          {refused}
        </Alert>
      )}
    </>
  );
  return { handlers, shown };
}

function DropOverlay({ target }: { target: DropTarget }) {
  return (
    <Box
      data-testid={`drop-overlay-${target}`}
      sx={{
        position: 'absolute',
        inset: 0,
        zIndex: 1300,
        display: 'grid',
        placeItems: 'center',
        border: 3,
        borderStyle: 'dashed',
        borderColor: 'primary.main',
        borderRadius: 2,
        bgcolor: 'rgba(25, 118, 210, 0.16)',
        pointerEvents: 'none',
      }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: 2.5,
          py: 1.5,
          borderRadius: 2,
          bgcolor: 'background.paper',
          boxShadow: 6,
        }}
      >
        <FileUploadIcon color="primary" />
        <Typography variant="subtitle1">{DROP_TARGETS[target].says}</Typography>
      </Box>
    </Box>
  );
}

/** A box that takes dropped files (see useDropZone). */
export function DropZone({
  target,
  onFile,
  children,
  sx,
}: {
  target: DropTarget;
  onFile: (file: File) => void;
  children: ReactNode;
  sx?: SxProps<Theme>;
}) {
  const { handlers, shown } = useDropZone(target, onFile);
  return (
    <Box sx={{ position: 'relative', ...sx }} data-testid={`drop-zone-${target}`} {...handlers}>
      {children}
      {shown}
    </Box>
  );
}
