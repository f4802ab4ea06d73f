import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import { useStudio } from '../state/store';

/** Errors stay until dismissed and always say what to do, not only what went wrong. */
export function ErrorStack() {
  const errors = useStudio((s) => s.errors);
  const dismiss = useStudio((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <Stack spacing={1} sx={{ position: 'fixed', right: 16, bottom: 16, width: 420, zIndex: 1500 }}>
      {errors.map((e) => (
        <Alert
          key={e.id}
          severity={e.severity}
          variant="filled"
          onClose={() => dismiss(e.id)}
          data-testid={e.severity === 'error' ? 'error' : 'notice'}
        >
          <AlertTitle>{e.message}</AlertTitle>
          {e.hint ??
            (e.severity === 'error'
              ? 'Try again; if it keeps happening, restart Pose Studio.'
              : '')}
        </Alert>
      ))}
    </Stack>
  );
}
