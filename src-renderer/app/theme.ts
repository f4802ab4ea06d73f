import { createTheme } from '@mui/material/styles';

/** Dark by default: renders and pictures read better on a dark surround. */
export function studioTheme(mode: 'dark' | 'light') {
  return createTheme({
    palette: {
      mode,
      primary: { main: '#7c9cff' },
      secondary: { main: '#ffb86b' },
      ...(mode === 'dark' ? { background: { default: '#121418', paper: '#1b1e24' } } : {}),
    },
    shape: { borderRadius: 8 },
    typography: { fontSize: 13 },
    components: {
      MuiButton: { defaultProps: { size: 'small' } },
      MuiTextField: { defaultProps: { size: 'small' } },
      MuiSelect: { defaultProps: { size: 'small' } },
    },
  });
}
