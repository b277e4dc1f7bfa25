import { afterEach, expect, it } from 'vitest';
import { addUser, createPod } from '../../../../server/db/admin';
import { describeEachDb } from '../../server/each-db';
import { call } from '../helpers';
import { type RealServer, REVIEWER, REVIEWER2, startRealServer } from '../sync/real-server';
import { openWorkstation, signIn } from '../sync/workstation';

const LEAD = { username: 'lena', password: 'lead horse battery staple' };
const ADMIN = { username: 'ada', password: 'admin horse battery staple' };

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

/** rita in pod-a led by lena, rob in pod-b, ada the admin */
async function podServer(dialect: 'sqlite' | 'postgres') {
  const srv = await startRealServer({ dialect, tasks: 2 });
  servers.push(srv);
  const db = srv.db.db;
  await createPod(db, { id: 'pod-a' });
  await createPod(db, { id: 'pod-b' });
  await db.updateTable('users').set({ pod_id: 'pod-a' }).where('username', '=', REVIEWER.username).execute();
  await db.updateTable('users').set({ pod_id: 'pod-b' }).where('username', '=', REVIEWER2.username).execute();
  await addUser(db, { ...LEAD, displayName: 'Lena Lead', role: 'lead', podId: 'pod-a' });
  await addUser(db, { ...ADMIN, role: 'admin' });
  return srv;
}

describeEachDb('workstation: the pod reviewers and the audit log against the real server', (dialect) => {
  it("lead.reviewers lists the pod's reviewers with their actions; another pod is refused", async () => {
    const srv = await podServer(dialect);
    const lena = openWorkstation();
    await signIn(lena, srv.url, LEAD);
    const before = await call(lena, 'lead.reviewers', {});
    expect(before.podId).toBe('pod-a');
    expect(before.reviewers.map((r) => [r.member.username, r.actions.length])).toEqual([['rita', 0]]);

    const rita = before.reviewers[0]!.member;
    const restriction = await call(lena, 'lead.restrict', {
      userId: rita.id,
      restriction: { projects: [], note: 'Practice first.' },
    });
    await call(lena, 'lead.coach', { userId: rita.id, coaching: { note: 'Read section 2.', taskIds: [] } });
    await call(lena, 'lead.lift', { userId: rita.id, actionId: restriction.id });
    const after = await call(lena, 'lead.reviewers', {});
    expect(after.reviewers[0]!.actions.map((a) => [a.kind, a.state])).toEqual(
      expect.arrayContaining([
        ['restriction', 'lifted'],
        ['coaching', 'active'],
      ]),
    );

    await expect(call(lena, 'lead.reviewers', { podId: 'pod-b' })).rejects.toThrow(
      /lead.reviewers failed \(403\)/,
    );
    // an admin names any pod
    const ada = openWorkstation();
    await signIn(ada, srv.url, ADMIN);
    const podB = await call(ada, 'lead.reviewers', { podId: 'pod-b' });
    expect(podB.reviewers.map((r) => r.member.username)).toEqual(['rob']);
  });

  it("admin.audit pages the log oldest first with the actor's name; a lead is refused", async () => {
    const srv = await podServer(dialect);
    const lena = openWorkstation();
    await signIn(lena, srv.url, LEAD);
    const ritaId = (await call(lena, 'lead.reviewers', {})).reviewers[0]!.member.id;
    const coached = await call(lena, 'lead.coach', {
      userId: ritaId,
      coaching: { note: 'Well escalated.', taskIds: [] },
    });
    await expect(call(lena, 'admin.audit', {})).rejects.toThrow(/admin.audit failed \(403\)/);

    const ada = openWorkstation();
    await signIn(ada, srv.url, ADMIN);
    const all = await call(ada, 'admin.audit', {});
    expect(all.next).toBeNull();
    const ids = all.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const coaching = all.entries.find((e) => e.action === 'reviewer.coaching')!;
    expect(coaching).toMatchObject({
      actor: 'Lena Lead',
      actorRole: 'lead',
      targetId: ritaId,
      targetName: 'rita',
    });
    expect(coaching.after).toMatchObject({ id: coached.id });
    // the operator's entries (users and projects added at the CLI) carry no actor name
    expect(all.entries.find((e) => e.action === 'project.create')).toMatchObject({
      actor: null,
      actorRole: 'operator',
    });

    // keyset pages of 2 walk the same entries
    const walked: number[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await call(ada, 'admin.audit', { limit: 2, ...(after !== undefined ? { after } : {}) });
      walked.push(...page.entries.map((e) => e.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(walked).toEqual(ids);

    // since: nothing from tomorrow on; a bad date is refused naming the field
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await call(ada, 'admin.audit', { since: tomorrow })).entries).toEqual([]);
    await expect(call(ada, 'admin.audit', { since: 'last week' })).rejects.toThrow(/since/);
  });
});
