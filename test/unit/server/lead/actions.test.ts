import { expect, it } from 'vitest';
import { RESTRICTED } from '../../../../shared/lead';
import type { Change } from '../../../../shared/sync';
import { createProject, importTasks } from '../../../../server/db/admin';
import { grantCertificate } from '../../../../server/training/admin';
import { describeEachDb } from '../each-db';
import { makeTask, useServer, type ServerEnv, type Session } from '../helpers';
import { addExam } from '../training/helpers';
import { auditEntries, feed } from './helpers';

const base = (e: ServerEnv, userId = e.userIds.reviewer, pod = 'pod-a') =>
  `/v1/pods/${pod}/reviewers/${userId}`;
const coachingIn = (changes: Change[]) =>
  changes.filter((c): c is Extract<Change, { type: 'coaching' }> => c.type === 'coaching');
const lease = (e: ServerEnv, s: Session, projectId?: string) =>
  e.call(s, 'POST', '/v1/sync/lease', projectId ? { projectId } : {});

describeEachDb('actions on a reviewer', (dialect) => {
  const env = useServer(dialect);

  it('a coaching note reaches the reviewer in plain words until acknowledged', async () => {
    const e = env();
    const lena = await e.login('lead');
    const res = await e.call(lena, 'POST', `${base(e)}/coaching`, {
      note: 'Look again at **t3**: the tie was the better call.',
      taskIds: ['t3'],
    });
    expect(res.status).toBe(200);
    const action = res.json.action;
    expect(action).toMatchObject({
      kind: 'coaching',
      state: 'active',
      taskIds: ['t3'],
      acknowledgedAt: null,
    });
    expect(action.words).toBe('lena left you a coaching note: read it and acknowledge it.');

    const rita = await e.login('reviewer');
    const notes = coachingIn(await feed(e, rita));
    expect(notes.map((c) => c.action.note)).toEqual(['Look again at **t3**: the tie was the better call.']);
    expect(coachingIn(await feed(e, await e.login('reviewer2')))).toEqual([]);

    // someone else cannot acknowledge it (not found, as for an unknown id)
    const rob = await e.login('reviewer2');
    expect((await e.call(rob, 'POST', `/v1/coaching/${action.id}/acknowledge`, {})).status).toBe(404);
    const ack = await e.call(rita, 'POST', `/v1/coaching/${action.id}/acknowledge`, {});
    expect(ack.status).toBe(200);
    expect(ack.json.action.acknowledgedAt).toBe(e.clock.read().toISOString());
    // the reviewer's other computers learn it through the feed
    expect(coachingIn(await feed(e, rita)).at(-1)!.action.acknowledgedAt).not.toBeNull();
    // the lead sees it acknowledged
    const list = await e.call(lena, 'GET', `${base(e)}/actions`);
    expect(list.json.actions[0].acknowledgedAt).not.toBeNull();

    const [entry] = await auditEntries(e, await e.login('admin'), 'reviewer.coaching');
    expect(entry).toMatchObject({ actorRole: 'lead', targetType: 'user', targetId: e.userIds.reviewer });
    expect(entry!.after).toMatchObject({ kind: 'coaching', note: action.note });
  });

  it('a restriction keeps production leases to the named projects until lifted', async () => {
    const e = env();
    await createProject(e.sdb.db, { id: 'easy', batchSize: 2 });
    await importTasks(e.sdb.db, 'easy', [makeTask('e1'), makeTask('e2'), makeTask('e3')]);
    const lena = await e.login('lead');
    const rita = await e.login('reviewer');
    const res = await e.call(lena, 'POST', `${base(e)}/restriction`, { projects: ['easy'] });
    expect(res.status).toBe(200);
    expect(res.json.action.words).toBe(
      'lena restricted you to these projects until further notice: easy. Practice (sandbox) work stays open.',
    );
    const refused = await lease(e, rita, 'prod');
    expect(refused.status).toBe(403);
    expect(refused.json.error).toEqual({ code: RESTRICTED, message: res.json.action.words });
    expect((await lease(e, rita, 'easy')).json.leased).toBe(2);
    expect((await lease(e, rita, 'train')).status).toBe(200); // sandbox work stays open
    expect(
      await e.sdb.db.selectFrom('leases').select('id').where('project_id', '=', 'prod').execute(),
    ).toEqual([]);
    // a second restriction while one is in force: lift it first
    const twice = await e.call(lena, 'POST', `${base(e)}/restriction`, { projects: [] });
    expect(twice.status).toBe(409);
    // an unknown project is named
    const unknown = await e.call(lena, 'POST', `${base(e, e.userIds.trainee)}/restriction`, {
      projects: ['nope'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('"nope"');

    const lifted = await e.call(lena, 'POST', `${base(e)}/actions/${res.json.action.id}/lift`, {});
    expect(lifted.status).toBe(200);
    expect(lifted.json.action.state).toBe('lifted');
    expect(lifted.json.action.words).toContain('lifted your restriction');
    expect((await lease(e, rita, 'prod')).json.leased).toBe(5);
    expect((await e.call(lena, 'POST', `${base(e)}/actions/${res.json.action.id}/lift`, {})).status).toBe(
      409,
    );
    const words = coachingIn(await feed(e, rita)).map((c) => c.action.state);
    expect(words).toEqual(['active', 'lifted']);
    const admin = await e.login('admin');
    expect((await auditEntries(e, admin, 'reviewer.restriction.lift'))[0]!.before).toMatchObject({
      state: 'active',
    });
  });

  it('without a project id, a restricted reviewer is told why nothing comes', async () => {
    const e = env();
    const lena = await e.login('lead');
    await e.call(lena, 'POST', `${base(e)}/restriction`, { projects: [] });
    // the sandbox project has work: it is leased
    const rita = await e.login('reviewer');
    expect((await lease(e, rita)).json.leased).toBe(3);
    // once that is held, nothing more and no refusal; a reviewer with nothing at all hears the words
    await e.sdb.db.updateTable('leases').set({ state: 'completed' }).execute();
    await e.sdb.db
      .updateTable('tasks')
      .set({ revoked_at: '2026-01-01T00:00:00.000Z' })
      .where('project_id', '=', 'train')
      .execute();
    const res = await lease(e, rita);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toBe(
      'lena restricted you to practice (sandbox) work until further notice: no production work for now.',
    );
  });

  it('re-certification suspends the certificate until the reviewer passes again; lifting restores it', async () => {
    const e = env();
    await addExam(e);
    await createProject(e.sdb.db, { id: 'helpful', batchSize: 2, requiresCerts: ['helpfulness'] });
    await importTasks(
      e.sdb.db,
      'helpful',
      [1, 2, 3, 4].map((n) => makeTask(`helpful-${n}`)),
    );
    await grantCertificate(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    const rita = await e.login('reviewer');
    expect((await lease(e, rita, 'helpful')).json.leased).toBe(2);

    const lena = await e.login('lead');
    const res = await e.call(lena, 'POST', `${base(e)}/recertification`, { skill: 'helpfulness' });
    expect(res.status).toBe(200);
    expect(res.json.action.words).toContain('asked you to re-certify for helpfulness');
    const cert = await e.sdb.db.selectFrom('certificates').selectAll().executeTakeFirstOrThrow();
    expect(cert.due_at).toBe(e.clock.read().toISOString());
    await e.sdb.db.updateTable('leases').set({ state: 'completed' }).execute();
    const refused = await lease(e, rita, 'helpful');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('certification-required');
    // the certificate's new state reaches the reviewer too
    const changes = await feed(e, rita);
    const certDocs = changes.filter((c) => c.type === 'training' && c.doc.kind === 'certificate');
    expect(certDocs.at(-1)).toMatchObject({ doc: { dueAt: cert.due_at } });
    // nothing to suspend for a skill the reviewer does not hold
    expect((await e.call(lena, 'POST', `${base(e)}/recertification`, { skill: 'safety' })).status).toBe(409);

    const lifted = await e.call(lena, 'POST', `${base(e)}/actions/${res.json.action.id}/lift`, {});
    expect(lifted.status).toBe(200);
    const restored = await e.sdb.db.selectFrom('certificates').selectAll().executeTakeFirstOrThrow();
    expect(restored.due_at).toBeNull();
    expect((await lease(e, rita, 'helpful')).json.leased).toBe(2);
    const [entry] = await auditEntries(e, await e.login('admin'), 'reviewer.recertification');
    expect(entry!.before).toEqual({ certificates: [{ id: cert.id, dueAt: null }] });
  });

  it("a lead acts on their own pod's reviewers only", async () => {
    const e = env();
    const lena = await e.login('lead');
    const robInA = await e.call(lena, 'POST', `${base(e, e.userIds.reviewer2)}/coaching`, { note: 'Hi' });
    expect(robInA.status).toBe(404);
    const podB = await e.call(lena, 'POST', `${base(e, e.userIds.reviewer2, 'pod-b')}/coaching`, {
      note: 'Hi',
    });
    expect(podB.status).toBe(403);
    const self = await e.call(lena, 'POST', `${base(e, e.userIds.lead)}/coaching`, { note: 'Hi' });
    expect(self.status).toBe(400);
    const empty = await e.call(lena, 'POST', `${base(e)}/coaching`, { note: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.json.error.issues[0].path).toBe('note');
    expect(await e.sdb.db.selectFrom('reviewer_actions').selectAll().execute()).toEqual([]);
    const admin = await e.login('admin');
    expect(
      (await e.call(admin, 'POST', `${base(e, e.userIds.reviewer2, 'pod-b')}/coaching`, { note: 'Hi' }))
        .status,
    ).toBe(200);
  });
});
