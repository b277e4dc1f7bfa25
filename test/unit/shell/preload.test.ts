import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type Api, channels } from '../../../shared/contract';
import { FIRST_SCREEN_IPC_CHANNEL, type ShellBridge } from '../../../shared/contract-client';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), send: vi.fn(), on: vi.fn() },
}));
vi.mock('electron', () => electron);

let api: Api & { shell: ShellBridge };
beforeAll(async () => {
  await import('../../../electron/preload/preload');
  api = electron.contextBridge.exposeInMainWorld.mock.calls[0]![1] as Api & { shell: ShellBridge };
});

/** Every value reachable from the exposed object, with its path. */
function walk(value: unknown, at = 'workstation'): [string, unknown][] {
  if (typeof value !== 'object' || value === null) return [[at, value]];
  return Object.entries(value).flatMap(([key, inner]) => walk(inner, `${at}.${key}`));
}

describe('preload bridge', () => {
  it('exposes exactly one object, window.workstation', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect(electron.contextBridge.exposeInMainWorld.mock.calls[0]![0]).toBe('workstation');
  });

  it('holds one function per contract channel, the shell signal, and nothing else: no ipcRenderer leaks', () => {
    const leaves = walk(api);
    expect(leaves.map(([at]) => at).sort()).toEqual(
      [...channels.map((c) => `workstation.${c}`), 'workstation.shell.firstScreenPainted'].sort(),
    );
    for (const [, value] of leaves) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(electron.ipcRenderer.invoke);
    }
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
  });

  it('says the first screen is painted with one message and nothing else', () => {
    api.shell.firstScreenPainted();
    expect(electron.ipcRenderer.send).toHaveBeenCalledExactlyOnceWith(FIRST_SCREEN_IPC_CHANNEL);
  });

  it('sends each call as invoke("contract", channel, input) and unwraps the result', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { total: 3 } });
    await expect(api.queue.summary({})).resolves.toEqual({ total: 3 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('contract', 'queue.summary', {});
  });

  it('rejects with the ApiErrorBody in a form that survives contextBridge', async () => {
    const error = {
      code: 'invalid-input',
      message: 'taskId: must not be empty',
      issues: [{ path: 'taskId', message: 'x' }],
    };
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, status: 400, error });
    const reason = await api.task.open({ taskId: '' }).catch((e: unknown) => e);
    // a plain object, not an Error: contextBridge copies plain objects whole but rebuilds
    // Errors from their message only
    expect(Object.getPrototypeOf(reason)).toBe(Object.prototype);
    expect(reason).toEqual({ name: 'ApiError', message: error.message, status: 400, body: error });
    expect(structuredClone(reason)).toEqual(reason);
  });

  it('turns a failed invoke into an "unavailable" error', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('no handler registered for contract'));
    await expect(api.app.info({})).rejects.toMatchObject({ body: { code: 'unavailable' } });
    electron.ipcRenderer.invoke.mockResolvedValueOnce('garbage');
    await expect(api.app.info({})).rejects.toMatchObject({ body: { code: 'unavailable' } });
  });
});
