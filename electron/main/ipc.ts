import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { DispatchResult } from '../services/index';
import { APP_HOST, APP_SCHEME } from './protocol';

/** The one IPC channel: every contract call travels as ('contract', channel, input). */
export const CONTRACT_IPC_CHANNEL = 'contract';

export interface IpcDeps {
  /** the main window's main frame, or null while there is no window */
  trustedFrame(): WebFrameMain | null;
  /** services.dispatch: validates input with zod, never throws */
  dispatch(channel: string, input: unknown): Promise<DispatchResult>;
}

/** Only the top frame of our own window, showing our own bundle, may call services. */
export function isTrustedSender(frame: WebFrameMain | null, trusted: WebFrameMain | null): boolean {
  if (!frame || !trusted) return false;
  if (frame.parent !== null) return false;
  if (frame.processId !== trusted.processId || frame.routingId !== trusted.routingId) return false;
  try {
    // URL.origin is "null" for a custom scheme in Node, so compare scheme and host
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

const forbidden: DispatchResult = {
  ok: false,
  status: 403,
  error: { code: 'forbidden', message: 'This window may not call the workstation services.' },
};

export async function handleContractCall(
  deps: IpcDeps,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  channel: unknown,
  input: unknown,
): Promise<DispatchResult> {
  if (!isTrustedSender(event.senderFrame, deps.trustedFrame())) return forbidden;
  if (typeof channel !== 'string') {
    return { ok: false, status: 404, error: { code: 'not-found', message: 'Unknown channel.' } };
  }
  return deps.dispatch(channel, input);
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, deps: IpcDeps): void {
  ipcMain.handle(CONTRACT_IPC_CHANNEL, (event, channel: unknown, input: unknown) =>
    handleContractCall(deps, event, channel, input),
  );
}
