// Electron entry (dist/main/main.mjs): wires the real Electron modules into startApp.
import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { startServicesWorker } from '../services/worker/client';
import { servicesWorkerLaunch } from '../services/worker/launch';
import { startApp } from './app';
import { appPaths } from './paths';

void startApp(
  { app, BrowserWindow, ipcMain, dialog, session, protocol, Menu, safeStorage, net },
  {
    // the services run on a worker thread: this thread pumps IPC and window events (issue 12 §3)
    openServices: (services) => startServicesWorker(services, servicesWorkerLaunch(import.meta.url)),
    paths: appPaths(import.meta.url),
    env: process.env,
    platform: process.platform,
    log: (line) => console.log(line),
  },
).catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
