import { createTheme } from '@mui/material/styles';

/**
 * The accent of each theme, chosen for WCAG AA (4.5:1) wherever text is drawn in it: on the
 * page, on cards, and on a selected rail item (the paper under `action.selected`). The old
 * single accent #7c9cff read 3.87:1 on the dark rail's selected item and 2.6:1 on white.
 * `theme.test.ts` checks every pair.
 */
export const ACCENT = { dark: '#96afff', light: '#3a5bd9' } as const;

/** Dark by default: renders and pictures read better on a dark surround. */
export function studioTheme(mode: 'dark' | 'light') {
  return createTheme({
    palette: {
      mode,
      primary: { main: ACCENT[mode] },
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
