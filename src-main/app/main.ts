import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, shell, type IpcMainInvokeEvent } from 'electron';
import type { WindowState } from '#shared/api/index';
import { createApiService } from '#main/services/api/wiring';
import { electronSettingsBackend } from './electronSettings';
import { bridgeIpc } from './ipcBridge';
import { handleMediaProtocol, registerMediaScheme } from './mediaProtocol';
import { buildMenu } from './menu';
import { hardenApp, hardenSession, secureWebPreferences } from './security';
import { restorableBounds, trackWindowState } from './windowState';
import { farmPort } from '#main/farm/farmPort';

/**
 * Electron main: one instance, one studio window, everything else behind the typed API.
 * electron-vite bundles this to out/main/index.js (package.json "main").
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : null;

/** Only the studio's own page (the built index.html, or the dev server while developing). */
function isAppUrl(url: string): boolean {
  try {
    if (appOrigin) return new URL(url).origin === appOrigin;
    return url.split(/[?#]/)[0] === pathToFileURL(rendererIndex).href;
  } catch {
    return false; // not even a URL
  }
}

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerMediaScheme();
  hardenApp(isAppUrl);
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  hardenSession();
  const service = await createApiService({
    mode: 'electron',
    farm: farmPort(),
    appRoot: app.getAppPath(),
    settingsBackend: electronSettingsBackend(),
    shell: {
      // The output selected in its folder when it exists; else the folder (openPath: '' = opened).
      openFolder: async (folder, select) => {
        if (!select) return (await shell.openPath(folder)) === '';
        shell.showItemInFolder(select);
        return true;
      },
    },
  });
  handleMediaProtocol(() => service.projectFolder());

  const trusted = (event: IpcMainInvokeEvent): boolean =>
    mainWindow !== null &&
    event.sender.id === mainWindow.webContents.id &&
    event.senderFrame !== null &&
    event.senderFrame === event.sender.mainFrame &&
    isAppUrl(event.senderFrame.url);
  bridgeIpc(service, trusted, () => (mainWindow ? [mainWindow.webContents] : []));

  Menu.setApplicationMenu(
    buildMenu((command) => service.emit('ui.command', { command }), { devTools: !app.isPackaged }),
  );

  createWindow(service.settings.get().window, (s) => service.settings.setWindowState(s));

  app.on('before-quit', () => void service.close());
}

function createWindow(state: WindowState, save: (s: WindowState) => void): void {
  mainWindow = new BrowserWindow({
    ...restorableBounds(state),
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#121418',
    title: 'Pose Studio',
    webPreferences: { ...secureWebPreferences, preload: join(here, '..', 'preload', 'index.cjs') },
  });
  if (state.maximized) mainWindow.maximize();
  trackWindowState(mainWindow, save);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  if (devServerUrl) void mainWindow.loadURL(devServerUrl);
  else void mainWindow.loadFile(rendererIndex);
}
