import { describe, expect, it, vi } from 'vitest';
import { ApiErrorBody, channels } from '../../../shared/contract';
import { call, jsonl, open, rankingTask } from './helpers';

describe('dispatch', () => {
  it('has a handler for every contract channel', () => {
    const services = open();
    expect(Object.keys(services.handlers).sort()).toEqual([...channels].sort());
  });

  it('answers 400 invalid-input with zod paths, without calling the handler', async () => {
    const services = open();
    await call(services, 'tasks.import', { text: jsonl(rankingTask('t1')) });
    const outcome = await services.dispatch('draft.save', {
      taskId: 't1',
      work: { ranks: { r1: 12 }, tags: [{ responseId: 'r1', tagId: 'formatting', severity: 'fatal' }] },
    });
    expect(outcome).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-input' } });
    if (outcome.ok) return;
    expect(outcome.error.issues!.map((i) => i.path)).toEqual(['work.ranks.r1', 'work.tags.0.severity']);
    expect(outcome.error.message).toContain('work.ranks.r1');
    expect((await call(services, 'queue.summary')).drafts).toBe(0);

    const extra = await services.dispatch('queue.summary', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, status: 400, error: { issues: [{ path: '(root)' }] } });
  });

  it('answers 404 not-found for an unknown channel', async () => {
    const services = open();
    for (const channel of ['task.delete', '__proto__', 'constructor', '']) {
      const outcome = await services.dispatch(channel, {});
      expect(outcome).toEqual({
        ok: false,
        status: 404,
        error: { code: 'not-found', message: `unknown channel "${channel}"` },
      });
    }
  });

  it('treats a missing input as {} and applies the contract defaults', async () => {
    const services = open();
    expect(await services.dispatch('task.next', undefined)).toEqual({ ok: true, result: null });
    expect(await services.dispatch('prefs.get', null)).toEqual({
      ok: true,
      result: { layout: 'side', fontScale: 1 },
    });
    expect(await services.dispatch('queue.list', { state: 'pending' })).toEqual({ ok: true, result: [] });
  });

  it('answers 500 internal with a message and no stack when a handler fails', async () => {
    const services = open();
    services.close(); // every database call now fails
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const outcome = await services.dispatch('queue.summary', {});
    expect(outcome).toMatchObject({ ok: false, status: 500, error: { code: 'internal' } });
    if (outcome.ok) return;
    expect(outcome.error.message).toMatch(/queue\.summary/);
    expect(outcome.error.message).not.toMatch(/\n\s+at /);
    expect(ApiErrorBody.safeParse(outcome.error).success).toBe(true);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
