import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { Label } from '../../../../shared/label';
import { addUser, createPod } from '../../../../server/db/admin';
import { describeEachDb } from '../../server/each-db';
import { call } from '../helpers';
import { type RealServer, REVIEWER, startRealServer } from '../sync/real-server';
import { openWorkstation, query, signIn } from '../sync/workstation';

const LEAD = { username: 'lena', password: 'lead horse battery staple' };

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

/** the real server with rita in pod-a and lena leading it */
async function podServer(dialect: 'sqlite' | 'postgres') {
  const srv = await startRealServer({ dialect, tasks: 4, batchSize: 4 });
  servers.push(srv);
  const db = srv.db.db;
  await createPod(db, { id: 'pod-a' });
  await db.updateTable('users').set({ pod_id: 'pod-a' }).where('username', '=', REVIEWER.username).execute();
  await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-a' });
  return srv;
}

/** the lead's ranking of a server task (responses a, b, c) */
const leadLabel = (taskId: string): Label => ({
  id: randomUUID(),
  taskId,
  kind: 'ranking',
  reviewerId: 'lena',
  deviceId: 'lead-device',
  ranks: { a: 2, b: 1, c: 3 },
  pairwise: null,
  tags: [],
  rationale: null,
  presentedOrder: ['a', 'b', 'c'],
  orderSeed: 'seed',
  activeMs: 1000,
  guidelineVersion: '1',
  taxonomyVersion: '1',
  acknowledgedWarnings: [],
  revision: 1,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

describeEachDb('workstation: lead workspace and notices against the real server', (dialect) => {
  it('a ruling and a coaching note reach the reviewer, stay until read, and the acknowledgement reaches the server', async () => {
    const srv = await podServer(dialect);
    const rita = openWorkstation();
    await signIn(rita, srv.url);
    await call(rita, 'sync.now');
    const [first, second] = (await call(rita, 'queue.list', { state: 'pending', limit: 10 })).map(
      (i) => i.taskId,
    );
    for (const taskId of [first!, second!])
      await call(rita, 'task.escalate', { taskId, reason: 'guideline-gap', note: `Unsure about ${taskId}` });
    await call(rita, 'sync.now');

    const lena = openWorkstation();
    await signIn(lena, srv.url, LEAD);
    const inbox = await call(lena, 'lead.inbox', {});
    expect(inbox.items.map((i) => [i.task.id, i.note])).toEqual([
      [first, `Unsure about ${first}`],
      [second, `Unsure about ${second}`],
    ]);
    const [toReturn, toLabel] = inbox.items;
    const returned = await call(lena, 'lead.rule', {
      escalationId: toReturn!.id,
      ruling: {
        decision: 'return',
        explanation: 'Covered by section 2.',
        guidance: 'Rank by accuracy first.',
      },
    });
    expect(returned.decision).toBe('return');
    const labeled = await call(lena, 'lead.rule', {
      escalationId: toLabel!.id,
      ruling: { decision: 'label', label: leadLabel(second!), explanation: 'B is the only correct one.' },
    });
    expect(labeled.label?.ranks).toEqual({ a: 2, b: 1, c: 3 });
    // a second ruling: the server's conflict, in its words
    await expect(
      call(lena, 'lead.rule', {
        escalationId: toLabel!.id,
        ruling: { decision: 'return', explanation: 'Again' },
      }),
    ).rejects.toThrow(/lead.rule failed \(409\): escalation \d+ was ruled on/);
    const coached = await call(lena, 'lead.coach', {
      userId: inbox.items[0]!.reviewer.id,
      coaching: { note: `Well escalated: see ${first}.`, taskIds: [first!] },
    });
    expect(coached.state).toBe('active');

    // the reviewer's next sync brings both rulings and the note; the returned task is back in the queue
    await call(rita, 'sync.now');
    const listed = await call(rita, 'notices.list');
    expect(listed.unread).toBe(3);
    const rulings = listed.notices.filter((n) => n.kind === 'ruling');
    expect(
      rulings.map((n) => (n.kind === 'ruling' ? [n.ruling.taskId, n.ruling.decision] : null)).sort(),
    ).toEqual(
      [
        [first, 'return'],
        [second, 'label'],
      ].sort(),
    );
    const pending = (await call(rita, 'queue.list', { state: 'pending', limit: 10 })).map((i) => i.taskId);
    expect(pending).toContain(first);
    expect(pending).not.toContain(second);
    const lease = query<{ lease_token: number }>(
      rita,
      'SELECT lease_token FROM leases WHERE task_id = ?',
      first,
    );
    expect(lease[0]!.lease_token).toBe(returned.decision === 'return' ? 2 : 1);

    // read: the ruling locally, the coaching note on the server too
    await call(rita, 'notices.acknowledge', { kind: 'ruling', id: toReturn!.id });
    const after = await call(rita, 'notices.acknowledge', { kind: 'coaching', id: coached.id });
    expect(after.unread).toBe(1);
    expect(after.notices[0]!.readAt).toBeNull(); // unread first
    const row = await srv.db.db
      .selectFrom('reviewer_actions')
      .select('acknowledged_at')
      .where('id', '=', coached.id)
      .executeTakeFirstOrThrow();
    expect(row.acknowledged_at).not.toBeNull();
    // a notice this computer never received
    await expect(call(rita, 'notices.acknowledge', { kind: 'coaching', id: 'nope' })).rejects.toThrow(
      /\(404\)/,
    );
  });

  it('offline, the lead workspace says so and notices still list', async () => {
    const srv = await podServer(dialect);
    const lena = openWorkstation();
    await signIn(lena, srv.url, LEAD);
    await srv.stop();
    await expect(call(lena, 'lead.inbox', {})).rejects.toThrow(
      /lead.inbox failed \(503\): The lead workspace needs a connection/,
    );
    expect(await call(lena, 'notices.list')).toEqual({ notices: [], unread: 0 });
  });
});
