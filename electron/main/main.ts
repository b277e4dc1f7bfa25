// Electron entry (dist/main/main.mjs): wires the real Electron modules into startApp.
import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { openServices } from '../services/index';
import { startApp } from './app';
import { appPaths } from './paths';

void startApp(
  { app, BrowserWindow, ipcMain, dialog, session, protocol, Menu, safeStorage, net },
  {
    openServices,
    paths: appPaths(import.meta.url),
    env: process.env,
    platform: process.platform,
    log: (line) => console.log(line),
  },
).catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
