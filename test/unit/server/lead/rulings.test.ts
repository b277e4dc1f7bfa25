import { expect, it } from 'vitest';
import type { RawRow } from '../../../../shared/export';
import type { Change } from '../../../../shared/sync';
import { exportProject } from '../../../../server/export/export';
import { describeEachDb } from '../each-db';
import { HOUR, makeLabel, submit, useServer, type ServerEnv } from '../helpers';
import { auditEntries, escalate, feed } from './helpers';

const ruling = (id: string) => `/v1/escalations/${id}/ruling`;

async function rawExport(e: ServerEnv, projectId = 'prod'): Promise<RawRow[]> {
  const chunks: Buffer[] = [];
  await exportProject(e.sdb.db, projectId, { format: 'raw', messages: false, margin: false }, async (c) => {
    chunks.push(Buffer.from(c));
  });
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RawRow);
}

const rulingsIn = (changes: Change[]) => changes.filter((c) => c.type === 'ruling');

describeEachDb('escalation inbox and rulings', (dialect) => {
  const env = useServer(dialect);

  it("lists the pod's open escalations with the reviewer's note and work, overdue past the target", async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId } = await escalate(e, rita);
    // pod-b's reviewer escalates too: not in pod-a's inbox
    await escalate(e, await e.login('reviewer2'));
    const lena = await e.login('lead');
    const inbox = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations');
    expect(inbox.status).toBe(200);
    expect(inbox.json.next).toBeNull();
    expect(inbox.json.items).toHaveLength(1);
    const item = inbox.json.items[0];
    expect(item).toMatchObject({
      id: escalationId,
      projectId: 'prod',
      reason: 'guideline-gap',
      note: 'Both answers quote a source I cannot check.',
      reviewer: { id: e.userIds.reviewer, username: 'rita' },
      targetHours: 24,
      overdue: false,
      ruling: null,
    });
    expect(item.task.id).toBe(taskId);
    expect(item.task.meta).toBeUndefined(); // gold answers never reach a lead's screen
    expect(item.work.pairwise.choice).toBe('A');

    e.clock.advance(25 * HOUR);
    const later = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations');
    expect(later.json.items[0].overdue).toBe(true);
    expect(later.json.items[0].ageHours).toBeCloseTo(25, 1);
    // a project with a longer target: not overdue
    await e.sdb.db
      .updateTable('projects')
      .set({ escalation_target_hours: 48 })
      .where('id', '=', 'prod')
      .execute();
    expect((await e.call(lena, 'GET', '/v1/pods/pod-a/escalations')).json.items[0].overdue).toBe(false);

    // the admin sees pod-b's; the lead may not ask for it
    const admin = await e.login('admin');
    expect((await e.call(admin, 'GET', '/v1/pods/pod-b/escalations')).json.items[0].reviewer.username).toBe(
      'rob',
    );
    expect((await e.call(lena, 'GET', '/v1/pods/pod-b/escalations')).status).toBe(403);
    // bad query: a clear error naming the field
    const bad = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations?state=closed');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe('state');
  });

  it('pages the inbox oldest or newest first', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const ids: string[] = [];
    for (const taskId of ['t1', 't2', 't3']) ids.push((await escalate(e, rita, { taskId })).escalationId);
    const lena = await e.login('lead');
    const first = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations?limit=2');
    expect(first.json.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 2));
    const second = await e.call(lena, 'GET', `/v1/pods/pod-a/escalations?limit=2&after=${first.json.next}`);
    expect(second.json.items.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    expect(second.json.next).toBeNull();
    const newest = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations?order=newest');
    expect(newest.json.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
  });

  it("a label ruling becomes the task's label, attributed to the lead and marked in the raw export", async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const label = makeLabel(taskId, {
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
    });
    const res = await e.call(lena, 'POST', ruling(escalationId), {
      decision: 'label',
      label,
      explanation: 'B answers the question; **A** invents a source.',
    });
    expect(res.status).toBe(200);
    expect(res.json.ruling).toMatchObject({
      escalationId,
      taskId,
      decision: 'label',
      lead: 'lena',
      guidance: null,
    });
    expect(res.json.ruling.label.reviewerId).toBe(e.userIds.lead);

    const stored = await e.sdb.db.selectFrom('labels').selectAll().where('task_id', '=', taskId).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.user_id).toBe(e.userIds.lead);
    // the ruling took the escalated lease's slot: the task is full, its lease completed
    const task = await e.sdb.db
      .selectFrom('tasks')
      .select('occupancy')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(Number(task.occupancy)).toBe(1);
    const lease = await e.sdb.db
      .selectFrom('leases')
      .select('state')
      .where('task_id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(lease.state).toBe('completed');

    const rows = await rawExport(e);
    const row = rows.find((r) => r.taskId === taskId)!;
    expect(row.ruling).toBe(true);
    expect(row.reviewer).toBe('lena');
    expect(row.pairwise?.preferredResponseId).toBe('b');

    // the ruling reaches the reviewer who escalated, and no one else
    const ritaRulings = rulingsIn(await feed(e, rita));
    expect(ritaRulings).toHaveLength(1);
    expect(ritaRulings[0]).toMatchObject({
      type: 'ruling',
      ruling: {
        escalationId,
        decision: 'label',
        explanation: 'B answers the question; **A** invents a source.',
      },
    });
    expect(rulingsIn(await feed(e, lena))).toEqual([]);
    for (const other of ['reviewer2', 'admin', 'trainee'] as const)
      expect(rulingsIn(await feed(e, await e.login(other)))).toEqual([]);

    // the inbox: no longer open, listed as ruled
    expect((await e.call(lena, 'GET', '/v1/pods/pod-a/escalations')).json.items).toEqual([]);
    const ruled = await e.call(lena, 'GET', '/v1/pods/pod-a/escalations?state=ruled');
    expect(ruled.json.items[0].ruling.decision).toBe('label');

    const [entry] = await auditEntries(e, await e.login('admin'), 'escalation.rule');
    expect(entry).toMatchObject({
      actorRole: 'lead',
      actorUserId: e.userIds.lead,
      targetType: 'escalation',
      targetId: escalationId,
    });
    expect(entry!.before).toMatchObject({ state: 'open', reviewer: 'rita', leaseState: 'escalated' });
    expect(entry!.after).toMatchObject({ state: 'ruled', decision: 'label' });
  });

  it('a second ruling is a conflict and changes nothing', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId } = await escalate(e, rita);
    const lena = await e.login('lead');
    expect(
      (await e.call(lena, 'POST', ruling(escalationId), { decision: 'return', explanation: 'Judge it.' }))
        .status,
    ).toBe(200);
    const again = await e.call(await e.login('admin'), 'POST', ruling(escalationId), {
      decision: 'label',
      label: makeLabel(taskId),
      explanation: 'Overruling.',
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('already-ruled');
    expect(await e.sdb.db.selectFrom('labels').select('id').where('task_id', '=', taskId).execute()).toEqual(
      [],
    );
    expect(rulingsIn(await feed(e, rita))).toHaveLength(1);
    expect(await auditEntries(e, await e.login('admin'), 'escalation.rule')).toHaveLength(1);
  });

  it('returning sends the task back to the reviewer on a new lease with guidance', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId, token } = await escalate(e, rita);
    const lena = await e.login('lead');
    const res = await e.call(lena, 'POST', ruling(escalationId), {
      decision: 'return',
      explanation: 'The guideline covers this: section 3.',
      guidance: 'Prefer the answer that admits uncertainty.',
    });
    expect(res.status).toBe(200);
    const changes = await feed(e, rita);
    const assignments = changes.filter((c) => c.type === 'assignment' && c.task.id === taskId);
    const newest = assignments[assignments.length - 1] as Extract<Change, { type: 'assignment' }>;
    expect(newest.leaseToken).toBeGreaterThan(token);
    expect(newest.task.meta).toBeUndefined();
    expect(rulingsIn(changes)[0]).toMatchObject({
      ruling: { decision: 'return', guidance: 'Prefer the answer that admits uncertainty.', label: null },
    });
    const leases = await e.sdb.db
      .selectFrom('leases')
      .select(['token', 'state'])
      .where('task_id', '=', taskId)
      .orderBy('token')
      .execute();
    expect(leases.map((l) => l.state)).toEqual(['released', 'active']);
    // the reviewer's label on the new lease is accepted
    const pushed = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(2, makeLabel(taskId), newest.leaseToken)],
    });
    expect(pushed.json.outcomes[0]).toMatchObject({ status: 'accepted', flagged: null });
    const task = await e.sdb.db
      .selectFrom('tasks')
      .select('occupancy')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(Number(task.occupancy)).toBe(1);
  });

  it("another pod's escalation is not found for a lead, and bad rulings change nothing", async () => {
    const e = env();
    const rob = await e.login('reviewer2');
    const { escalationId, taskId } = await escalate(e, rob);
    const lena = await e.login('lead');
    const other = await e.call(lena, 'POST', ruling(escalationId), {
      decision: 'return',
      explanation: 'Mine now.',
    });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not-found');
    expect(
      (await e.call(lena, 'POST', ruling('999999'), { decision: 'return', explanation: 'x' })).status,
    ).toBe(404);

    const admin = await e.login('admin');
    // the label must fit the task, as a pushed one must
    const wrong = await e.call(admin, 'POST', ruling(escalationId), {
      decision: 'label',
      label: makeLabel(taskId, { pairwise: { preferredResponseId: 'z', choice: 'A', strength: 'better' } }),
      explanation: 'x',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('invalid-label');
    const noLabel = await e.call(admin, 'POST', ruling(escalationId), {
      decision: 'label',
      explanation: 'x',
    });
    expect(noLabel.status).toBe(400);
    expect(noLabel.json.error.issues[0].path).toBe('label');
    const noWords = await e.call(admin, 'POST', ruling(escalationId), {
      decision: 'return',
      explanation: '  ',
    });
    expect(noWords.status).toBe(400);
    expect(noWords.json.error.issues[0].path).toBe('explanation');
    expect(await e.sdb.db.selectFrom('escalation_rulings').selectAll().execute()).toEqual([]);
    expect(await auditEntries(e, admin, 'escalation.rule')).toEqual([]);
    // the admin may rule on any pod's
    expect(
      (await e.call(admin, 'POST', ruling(escalationId), { decision: 'return', explanation: 'Go on.' }))
        .status,
    ).toBe(200);
  });
});
