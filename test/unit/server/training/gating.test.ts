import { expect, it } from 'vitest';
import { CERTIFICATION_REQUIRED } from '../../../../shared/sync';
import { createProject, importTasks } from '../../../../server/db/admin';
import { revokeCertificates } from '../../../../server/training/admin';
import { describeEachDb } from '../each-db';
import { HOUR, makeTask, useServer, type ServerEnv } from '../helpers';
import { addExam, answers, latest, pullAll, push, start } from './helpers';

/** a production project requiring `skills`, with a few open tasks */
async function certProject(e: ServerEnv, id: string, skills: string[]) {
  await createProject(e.sdb.db, { id, batchSize: 3, requiresCerts: skills });
  await importTasks(
    e.sdb.db,
    id,
    [1, 2, 3, 4].map((n) => makeTask(`${id}-${n}`)),
  );
}

const lease = (e: ServerEnv, s: Awaited<ReturnType<ServerEnv['login']>>, projectId?: string) =>
  e.call(s, 'POST', '/v1/sync/lease', projectId ? { projectId } : {});

describeEachDb('certificates gate production leases', (dialect) => {
  const env = useServer(dialect);

  it('refuses a reviewer without the certificate, naming the exam; leases once they pass', async () => {
    const e = env();
    await addExam(e);
    await certProject(e, 'helpful', ['helpfulness']);
    await certProject(e, 'safety', ['safety']);
    const rita = await e.login('reviewer');
    const refused = await lease(e, rita, 'helpful');
    expect(refused.status).toBe(403);
    expect(refused.json.error).toEqual({
      code: CERTIFICATION_REQUIRED,
      message: 'Certification required: take the Helpfulness ranking exam',
    });
    // a skill no exam certifies yet
    expect((await lease(e, rita, 'safety')).json.error.message).toBe(
      'Certification required: safety (ask your lead)',
    );
    const attempt = await start(e, rita);
    await push(e, rita, await answers(e, attempt, 4));
    expect((await lease(e, rita, 'helpful')).json).toEqual({ leased: 3, open: 1 });
    // an admin needs no certificate
    expect((await lease(e, await e.login('admin'), 'safety')).json.leased).toBe(3);
  });

  it('keeps trainees off production work unless the exam promotes them; a promoted trainee leases', async () => {
    const e = env();
    await addExam(e, { promote: 1 });
    await certProject(e, 'helpful', ['helpfulness']);
    const tina = await e.login('trainee');
    // never the work, but the way in: the exam the project asks for
    const before = await lease(e, tina, 'helpful');
    expect(before.status).toBe(403);
    expect(before.json.error.code).toBe('certification-required');
    expect(before.json.error.message).toMatch(/^Certification required: take the .+ exam$/);
    const attempt = await start(e, tina);
    await push(e, tina, await answers(e, attempt, 3));
    const user = await e.sdb.db
      .selectFrom('users')
      .select('role')
      .where('username', '=', 'tina')
      .executeTakeFirstOrThrow();
    expect(user.role).toBe('reviewer');
    // the same session: the role is read at every request
    expect((await lease(e, tina, 'helpful')).json.leased).toBe(3);
  });

  it('a trainee certified but not promoted is still kept off production work, in plain words', async () => {
    const e = env();
    await addExam(e, { promote: 0 });
    await certProject(e, 'helpful', ['helpfulness']);
    const tina = await e.login('trainee');
    await push(e, tina, await answers(e, await start(e, tina), 3));
    expect(await lease(e, tina, 'helpful')).toMatchObject({
      status: 403,
      json: { error: { code: 'forbidden', message: 'trainees may not take production work' } },
    });
  });

  it('a failed exam promotes nobody', async () => {
    const e = env();
    await addExam(e, { promote: 1 });
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    await push(e, tina, await answers(e, attempt, 2));
    const user = await e.sdb.db
      .selectFrom('users')
      .select('role')
      .where('username', '=', 'tina')
      .executeTakeFirstOrThrow();
    expect(user.role).toBe('trainee');
  });

  it('without a project id, passes over projects it may not lease and says why when nothing is left', async () => {
    const e = env();
    await addExam(e);
    await e.sdb.db.updateTable('projects').set({ requires_certs: 'helpfulness' }).execute();
    const rita = await e.login('reviewer');
    const refused = await lease(e, rita);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe(CERTIFICATION_REQUIRED);
    // the pull still works, and brings the exam to take
    const { changes } = await pullAll(e, rita);
    expect(changes.some((c) => c.type === 'training' && c.doc.kind === 'exam')).toBe(true);
    const attempt = await start(e, rita);
    await push(e, rita, await answers(e, attempt, 4));
    expect((await lease(e, rita)).json.leased).toBe(5);
    // holding work: no refusal even where a project still needs another certificate
    await e.sdb.db
      .updateTable('projects')
      .set({ requires_certs: 'safety' })
      .where('id', '=', 'train')
      .execute();
    expect((await lease(e, rita)).status).toBe(200);
  });

  it('an expired or revoked certificate stops counting; a due one holds through its grace', async () => {
    const e = env();
    await addExam(e, { valid_days: 10 });
    await certProject(e, 'helpful', ['helpfulness']);
    const rita = await e.login('reviewer');
    const attempt = await start(e, rita);
    await push(e, rita, await answers(e, attempt, 4));
    expect((await lease(e, rita, 'helpful')).status).toBe(200);
    // due (re-certification asked): valid until due_at
    await e.sdb.db
      .updateTable('certificates')
      .set({ due_at: new Date(e.clock.now + 2 * 24 * HOUR).toISOString() })
      .execute();
    e.clock.advance(24 * HOUR);
    expect((await lease(e, rita, 'helpful')).status).toBe(200);
    e.clock.advance(24 * HOUR);
    expect((await lease(e, rita, 'helpful')).json.error.code).toBe(CERTIFICATION_REQUIRED);
    await e.sdb.db.updateTable('certificates').set({ due_at: null }).execute();
    expect((await lease(e, rita, 'helpful')).status).toBe(200);
    // expired
    e.clock.advance(8 * 24 * HOUR);
    expect((await lease(e, rita, 'helpful')).json.error.code).toBe(CERTIFICATION_REQUIRED);
    e.clock.advance(-8 * 24 * HOUR);
    // revoked: refused, and told through the feed
    expect(await revokeCertificates(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read())).toBe(1);
    expect((await lease(e, rita, 'helpful')).json.error.code).toBe(CERTIFICATION_REQUIRED);
    const [cert] = latest((await pullAll(e, rita)).changes).certificates();
    expect(cert!.revokedAt).toBe(e.clock.read().toISOString());
  });
});
