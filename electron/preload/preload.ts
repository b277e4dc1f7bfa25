// Sandboxed preload, bundled to dist/preload/preload.cjs. Exposes exactly one object,
// `window.workstation` (type Api from shared/contract.ts, plus `shell`: ShellBridge);
// ipcRenderer itself never crosses.
import { contextBridge, ipcRenderer } from 'electron';
import { FIRST_SCREEN_IPC_CHANNEL, type ShellBridge } from '../../shared/contract-client';
import { createBridgeApi } from './bridge';

const CONTRACT_IPC_CHANNEL = 'contract';

const shell: ShellBridge = {
  firstScreenPainted: () => ipcRenderer.send(FIRST_SCREEN_IPC_CHANNEL),
};

contextBridge.exposeInMainWorld('workstation', {
  ...createBridgeApi((channel, input) => ipcRenderer.invoke(CONTRACT_IPC_CHANNEL, channel, input)),
  shell,
});
