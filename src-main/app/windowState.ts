import { screen, type BrowserWindow, type Rectangle } from 'electron';
import type { WindowState } from '#shared/api/index';

/** Restores a saved window only where it is still visible (a monitor may have been unplugged). */
export function restorableBounds(
  state: WindowState,
): Partial<Rectangle> & { width: number; height: number } {
  const { width, height } = state;
  if (state.x === undefined || state.y === undefined) return { width, height };
  const visible = screen.getAllDisplays().some((d) => {
    const a = d.workArea;
    return (
      state.x! < a.x + a.width - 50 &&
      state.x! + width > a.x + 50 &&
      state.y! >= a.y - 10 &&
      state.y! < a.y + a.height - 50
    );
  });
  return visible ? { x: state.x, y: state.y, width, height } : { width, height };
}

/** Saves bounds and maximized state (debounced) while the window moves and when it closes. */
export function trackWindowState(win: BrowserWindow, save: (s: WindowState) => void): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const capture = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    const maximized = win.isMaximized();
    const b = maximized ? win.getNormalBounds() : win.getBounds();
    save({
      x: b.x,
      y: b.y,
      width: Math.max(400, b.width),
      height: Math.max(300, b.height),
      maximized,
    });
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(capture, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', capture);
  win.on('unmaximize', capture);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    capture();
  });
}
