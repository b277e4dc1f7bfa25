// Sandboxed preload, bundled to dist/preload/preload.cjs. Exposes exactly one object,
// `window.workstation` (type Api from shared/contract.ts); ipcRenderer itself never crosses.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridgeApi } from './bridge';

const CONTRACT_IPC_CHANNEL = 'contract';

contextBridge.exposeInMainWorld(
  'workstation',
  createBridgeApi((channel, input) => ipcRenderer.invoke(CONTRACT_IPC_CHANNEL, channel, input)),
);
