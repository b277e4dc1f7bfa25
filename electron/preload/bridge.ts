import { type Api, type ApiErrorBody, type Channel, buildApi } from '../../shared/contract';

/** What main answers to ipcRenderer.invoke('contract', ...): services' DispatchResult. */
export type ContractReply =
  { ok: true; result: unknown } | { ok: false; status: number; error: ApiErrorBody };

/**
 * How a failed call rejects in the renderer. contextBridge rebuilds thrown Error objects
 * from their message alone (custom properties are dropped), so the rejection is a plain
 * object that survives the copy: `reason.body` is the ApiErrorBody, `reason.message` its text.
 */
export interface BridgeRejection {
  name: 'ApiError';
  message: string;
  status: number;
  body: ApiErrorBody;
}

const unavailable = (message: string): BridgeRejection => ({
  name: 'ApiError',
  message,
  status: 503,
  body: { code: 'unavailable', message },
});

function isReply(value: unknown): value is ContractReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** The `window.workstation` object: the contract's Api over one invoke function, replies unwrapped. */
export function createBridgeApi(invoke: (channel: Channel, input: unknown) => Promise<unknown>): Api {
  return buildApi(async (channel, input) => {
    let reply: unknown;
    try {
      reply = await invoke(channel, input);
    } catch {
      throw unavailable('The workstation services did not answer. Restart the app; your saved work is kept.');
    }
    if (!isReply(reply)) throw unavailable('The workstation services sent an unreadable answer.');
    if (reply.ok) return reply.result;
    const rejection: BridgeRejection = {
      name: 'ApiError',
      message: reply.error.message,
      status: reply.status,
      body: reply.error,
    };
    throw rejection;
  });
}
