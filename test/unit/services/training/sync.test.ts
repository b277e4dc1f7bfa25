import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { historyDigests } from '../../../../shared/history';
import { Mutation } from '../../../../shared/sync';
import { call, rankingWork } from '../helpers';
import { assignment } from '../sync/fake-server';
import { outboxRows } from '../sync/workstation';
import {
  attempt,
  certificate,
  course,
  docChange,
  docRows,
  exam,
  examRef,
  fakeWithDocs,
  ranking,
  sandboxRef,
  traineeAt,
  trainingRows,
  tries,
} from './fixtures';
import { REVIEWER2 } from '../sync/real-server';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('training documents and answers through sync', () => {
  it('training documents arrive by pull and a newer copy replaces the older one', async () => {
    const f = await fakeWithDocs(course(), exam(), certificate());
    const ws = await traineeAt(f);
    expect(docRows(ws).map((r) => `${r.kind}:${r.id}`)).toEqual([
      'certificate:cert1',
      'course:c1',
      'exam:x1',
    ]);

    f.changes.push(docChange(course({ title: 'Ranking basics, 2nd edition', version: '2' })));
    f.changes.push(docChange(certificate({ revokedAt: '2025-02-01T00:00:00.000Z' })));
    await call(ws, 'sync.now');
    const overview = await call(ws, 'training.overview');
    expect(overview.courses.map((c) => c.title)).toEqual(['Ranking basics, 2nd edition']);
    expect(overview.certificates.map((c) => [c.id, c.status])).toEqual([['cert1', 'revoked']]);
    expect(docRows(ws)).toHaveLength(3);
  });

  it('a server reset drops the documents (they come again) but keeps answers and the outbox', async () => {
    const f = await fakeWithDocs(course(), exam(), attempt());
    const ws = await traineeAt(f);
    await call(ws, 'training.submit', { ref: sandboxRef('c1-rank'), work: ranking('good', 'fair', 'bad') });
    await call(ws, 'training.submit', { ref: examRef('q1'), work: ranking('good', 'fair', 'bad') });
    // the answers stay unsent across the restore (a push refused as a whole does not stop the pull)
    f.fail.push = { status: 400, body: { error: { code: 'mutation-gap', message: 'scripted' } } };

    f.changes.length = 0;
    f.changes.push(docChange(exam()));
    f.restore(0); // a new epoch: the workstation's next pull is a reset
    await call(ws, 'sync.now');
    expect(docRows(ws).map((r) => `${r.kind}:${r.id}`)).toEqual(['exam:x1']);
    expect(trainingRows(ws).map((r) => [r.ref_key, r.state])).toEqual([
      ['exam:a1:q1', 'submitted'],
      ['sandbox:c1:c1-rank', 'submitted'],
    ]);
    expect(tries(ws)).toHaveLength(1);
    expect(outboxRows(ws).map((r) => [r.task_id, r.state])).toEqual([
      ['c1-rank', 'sent'],
      ['q1', 'sent'],
    ]);
    expect(await ws.dispatch('training.open', { ref: sandboxRef('c1-rank') })).toMatchObject({ status: 404 });

    f.fail.push = null;
    await call(ws, 'sync.now');
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['accepted', 'accepted']);
  });

  it('training answers and production labels share one history: ids and digests run on across both', async () => {
    const f = await fakeWithDocs(course());
    f.changes.push(assignment('t1'), assignment('t2'));
    const ws = await traineeAt(f);
    const t1 = await call(ws, 'task.open', { taskId: 't1' });
    await call(ws, 'label.submit', { taskId: 't1', work: rankingWork(t1.presentedOrder) });
    await call(ws, 'training.submit', { ref: sandboxRef('c1-rank'), work: ranking('good', 'fair', 'bad') });
    const t2 = await call(ws, 'task.open', { taskId: 't2' });
    await call(ws, 'label.submit', { taskId: 't2', work: rankingWork(t2.presentedOrder) });
    await call(ws, 'sync.now');

    const [push] = f.pushes;
    expect(push!.mutations.map((m) => [m.id, m.type])).toEqual([
      [1, 'label.submit'],
      [2, 'training.answer'],
      [3, 'label.submit'],
    ]);
    const training = push!.mutations[1]!;
    expect(Mutation.parse(training)).toEqual(training);
    expect(training).not.toHaveProperty('leaseToken');
    expect(training).not.toHaveProperty('leaseProof');
    expect(training).toMatchObject({
      taskId: 'c1-rank',
      ref: sandboxRef('c1-rank'),
      attempt: 1,
      label: { taskId: 'c1-rank', ranks: { good: 1, fair: 2, bad: 3 } },
    });
    expect(push!.mutations[0]).toHaveProperty('leaseToken', 1);
    expect(push!.digests).toEqual(historyDigests(sha256, '', push!.mutations));
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['accepted', 'accepted', 'accepted']);

    // and the next push starts from the digest after the training answer's successor
    await call(ws, 'training.submit', { ref: sandboxRef('c1-rank'), work: ranking('fair', 'good', 'bad') });
    await call(ws, 'sync.now');
    const next = f.pushes[f.pushes.length - 1]!;
    expect(next.base).toEqual({ id: 3, digest: push!.digests[2] });
    expect(next.mutations.map((m) => [m.id, m.type, m.type === 'training.answer' && m.attempt])).toEqual([
      [4, 'training.answer', 2],
    ]);
    expect(next.digests).toEqual(historyDigests(sha256, push!.digests[2]!, next.mutations));
  });

  it('a refused training answer is quarantined with its reason and the item prompt, never dropped', async () => {
    const f = await fakeWithDocs(exam(), attempt());
    f.rejectTasks.set('q1', 'closed');
    const ws = await traineeAt(f);
    await call(ws, 'training.submit', { ref: examRef('q1'), work: ranking('good', 'fair', 'bad') });
    const status = await call(ws, 'sync.now');
    expect(status.quarantined).toBe(1);
    const { items } = await call(ws, 'sync.quarantine');
    expect(items).toEqual([
      expect.objectContaining({
        type: 'training.answer',
        taskId: 'q1',
        reason: 'closed',
        promptPreview: 'Rank the answers to q1',
      }),
    ]);
    // the answer itself stays on this computer
    expect(trainingRows(ws)).toEqual([
      expect.objectContaining({ ref_key: 'exam:a1:q1', state: 'submitted' }),
    ]);
  });

  it('another account signing in here drops the previous account’s documents (its certificates are not theirs)', async () => {
    const f = await fakeWithDocs(course(), certificate());
    const ws = await traineeAt(f);
    await call(ws, 'auth.signOut');
    f.changes.length = 0;
    f.changes.push(docChange(course()));
    await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER2 });
    expect(docRows(ws)).toEqual([]);
    await call(ws, 'sync.now');
    const overview = await call(ws, 'training.overview');
    expect(overview.certificates).toEqual([]);
    expect(overview.courses.map((c) => c.id)).toEqual(['c1']);
  });
});
