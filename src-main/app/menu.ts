import { Menu, app, type MenuItemConstructorOptions } from 'electron';
import type { UiCommand } from '#shared/api/index';

/**
 * The application menu. Items that belong to the UI send a `ui.command` event; the renderer
 * decides what it means. Shortcuts use CmdOrCtrl so they follow each platform's habit.
 */
export function buildMenu(send: (command: UiCommand) => void, opts: { devTools: boolean }): Menu {
  const mac = process.platform === 'darwin';
  const item = (
    label: string,
    accelerator: string,
    command: UiCommand,
  ): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Open or New Project…', 'CmdOrCtrl+O', 'show-projects'),
        { type: 'separator' },
        item('Settings…', 'CmdOrCtrl+,', 'show-settings'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        item('Character', 'CmdOrCtrl+1', 'show-character'),
        item('Pose Editor', 'CmdOrCtrl+2', 'show-editor'),
        item('Render', 'CmdOrCtrl+3', 'show-render'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(opts.devTools
          ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }]
          : []),
      ],
    },
    {
      label: '&Render',
      submenu: [
        item('Render Now', 'CmdOrCtrl+Enter', 'start-render'),
        item('Show Queue', 'CmdOrCtrl+R', 'show-render'),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `Pose Studio ${app.getVersion()}`, enabled: false }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
