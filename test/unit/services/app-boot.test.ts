import { describe, expect, it } from 'vitest';
import { call, jsonl, open, rankingTask } from './helpers';

// app.boot: the first screen's calls in one reply (issue 12), each part what its own channel says
describe('app.boot', () => {
  it('answers sign-in and sync state, preferences and counts, and no task to resume on a fresh queue', async () => {
    const services = open();
    await call(services, 'tasks.import', { text: jsonl(rankingTask('t1'), rankingTask('t2')) });
    const boot = await call(services, 'app.boot');
    expect(boot.auth).toEqual(await call(services, 'auth.status'));
    expect(boot.sync).toEqual(await call(services, 'sync.status'));
    expect(boot.prefs).toEqual(await call(services, 'prefs.get'));
    expect(boot.summary).toEqual(await call(services, 'queue.summary'));
    expect(boot.summary.pending).toBe(2);
    expect(boot.resume).toBeNull();
  });

  it('brings the task the reviewer was on, as task.next resumes it', async () => {
    const services = open();
    await call(services, 'tasks.import', { text: jsonl(rankingTask('t1'), rankingTask('t2')) });
    const opened = await call(services, 'task.next');
    await call(services, 'draft.save', { taskId: opened!.task.id, work: { rankingTouched: true } });
    const boot = await call(services, 'app.boot');
    expect(boot.summary.currentTaskId).toBe(opened!.task.id);
    expect(boot.resume?.task.id).toBe(opened!.task.id);
    expect(boot.resume).toEqual(await call(services, 'task.next'));
  });
});
