import { useRef } from 'react';
import Button from '@mui/material/Button';
import VideocamIcon from '@mui/icons-material/Videocam';

/** "Import video…" over the editor's stage: picks a driving video for the video import. */
export function VideoImportButton({ onFile }: { onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept="video/*,.mkv,.avi,.gif"
        hidden
        data-testid="video-file-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
      <Button
        size="small"
        variant="outlined"
        startIcon={<VideocamIcon />}
        onClick={() => input.current?.click()}
        sx={{ bgcolor: 'rgba(18,20,24,0.8)' }}
        data-testid="import-video"
        title="Take the motion of a person in a video (or drop the video on the editor)"
      >
        Import video…
      </Button>
    </>
  );
}
