import { describe, expect, it } from 'vitest';
import { buildApi, channels, contract, isChannel } from '../../../shared/contract';

describe('contract', () => {
  it('derives one namespaced api method per channel', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(async (channel, input) => {
      calls.push([channel, input]);
      return 'ok';
    });
    await api.task.next({});
    await api.queue.list({ state: 'pending' });
    expect(calls).toEqual([
      ['task.next', {}],
      ['queue.list', { state: 'pending' }],
    ]);
    const methodCount = Object.values(api).reduce((n, ns) => n + Object.keys(ns).length, 0);
    expect(methodCount).toBe(channels.length);
  });

  it('recognises only real channels', () => {
    expect(isChannel('task.next')).toBe(true);
    expect(isChannel('toString')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
  });

  it('rejects unknown keys in inputs', () => {
    expect(contract['task.open'].input.safeParse({ taskId: 't', extra: true }).success).toBe(false);
  });
});
