import { describe, expect, it } from 'vitest';
import { type Channel, channels } from '../../../shared/contract';
import { ApiError as PlainApiError, apiOver } from '../../../shared/contract-client';
import { ApiError } from '../../../shared/contract';
import { WorkState } from '../../../shared/label';
import { emptyWorkState } from '../../../shared/work-state';

describe("the renderer's zod-free half of shared/", () => {
  it('apiOver sends every contract channel through the one transport, input defaulting to {}', async () => {
    const calls: [Channel, unknown][] = [];
    const api = apiOver(async (channel, input) => {
      calls.push([channel, input]);
      return channel;
    });
    for (const channel of channels) {
      const [ns, method] = channel.split('.') as [string, string];
      const call = (api as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>)[
        ns
      ]![method]!;
      await expect(call()).resolves.toBe(channel);
    }
    expect(calls).toEqual(channels.map((c) => [c, {}]));
    await api.task.open({ taskId: 't1' });
    expect(calls.at(-1)).toEqual(['task.open', { taskId: 't1' }]);
  });

  it('apiOver is not a thenable: awaiting it (or a namespace) gives it back', async () => {
    const api = apiOver(async () => undefined);
    expect(await api).toBe(api);
    expect(await api.task).toBe(api.task);
    expect(api.task.next).toBe(api.task.next);
  });

  it('has one ApiError class: the host-side contract re-exports the plain one', () => {
    expect(ApiError).toBe(PlainApiError);
  });

  it("emptyWorkState is what WorkState's defaults give", () => {
    expect(emptyWorkState()).toEqual(WorkState.parse({}));
    expect(emptyWorkState()).not.toBe(emptyWorkState());
  });
});
