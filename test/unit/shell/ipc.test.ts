import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../../shared/contract';
import { CONTRACT_IPC_CHANNEL, registerIpc } from '../../../electron/main/ipc';
import { type DispatchResult, createDispatch } from '../../../electron/services/dispatch';
import type { FakeFrame } from './fake-electron';

const mainFrame: FakeFrame = { processId: 7, routingId: 1, url: 'app://renderer/index.html', parent: null };

type Dispatch = (channel: string, input: unknown) => Promise<DispatchResult>;

function setup(dispatch = vi.fn<Dispatch>(async () => ({ ok: true, result: 'fine' }))) {
  let handler: ((event: unknown, ...args: unknown[]) => Promise<unknown>) | undefined;
  const ipcMain = {
    handle: vi.fn((channel: string, fn: typeof handler) => {
      expect(channel).toBe(CONTRACT_IPC_CHANNEL);
      handler = fn;
    }),
  };
  registerIpc(ipcMain as never, { trustedFrame: () => mainFrame as never, dispatch });
  const call = (senderFrame: FakeFrame | null, channel: unknown, input: unknown) =>
    handler!({ senderFrame }, channel, input);
  return { call, dispatch };
}

describe('contract IPC', () => {
  it('forwards calls from the main window main frame to services.dispatch', async () => {
    const { call, dispatch } = setup();
    await expect(call(mainFrame, 'queue.summary', {})).resolves.toEqual({ ok: true, result: 'fine' });
    expect(dispatch).toHaveBeenCalledWith('queue.summary', {});
    // the same frame seen through a fresh WebFrameMain wrapper
    await expect(call({ ...mainFrame }, 'task.next', {})).resolves.toEqual({ ok: true, result: 'fine' });
  });

  it.each([
    ['no frame (navigated away or destroyed)', null],
    ['another window', { ...mainFrame, routingId: 99 }],
    ['another renderer process', { ...mainFrame, processId: 8 }],
    ['a subframe', { ...mainFrame, routingId: 2, parent: mainFrame }],
    ['a subframe claiming the main ids', { ...mainFrame, parent: mainFrame }],
    ['a remote page in the main frame', { ...mainFrame, url: 'https://evil.example/' }],
    ['a file:// page in the main frame', { ...mainFrame, url: 'file:///tmp/x.html' }],
    ['an app:// page from another host', { ...mainFrame, url: 'app://evil/index.html' }],
  ])('rejects %s without calling services', async (_name, frame) => {
    const { call, dispatch } = setup();
    await expect(call(frame as FakeFrame | null, 'queue.summary', {})).resolves.toMatchObject({
      ok: false,
      status: 403,
      error: { code: 'forbidden' },
    });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers an invalid payload with a 400 naming the field, without running the handler', async () => {
    const list = vi.fn(() => []);
    const handlers = { 'queue.list': list } as unknown as Handlers;
    const { call } = setup(vi.fn<Dispatch>(createDispatch(handlers, () => undefined)));
    const reply = await call(mainFrame, 'queue.list', { state: 'bogus', limit: 0 });
    expect(reply).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-input' } });
    const paths = (reply as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['state', 'limit']));
    expect(list).not.toHaveBeenCalled();
    await expect(call(mainFrame, 'queue.list', { state: 'pending' })).resolves.toMatchObject({ ok: true });
    expect(list).toHaveBeenCalledWith({ state: 'pending', limit: 100, offset: 0 });
  });

  it('rejects a non-string channel and an unknown channel', async () => {
    const { call } = setup(vi.fn<Dispatch>(createDispatch({} as Handlers, () => undefined)));
    await expect(call(mainFrame, { toString: () => 'x' }, {})).resolves.toMatchObject({
      ok: false,
      status: 404,
    });
    await expect(call(mainFrame, '__proto__', {})).resolves.toMatchObject({ ok: false, status: 404 });
  });
});
