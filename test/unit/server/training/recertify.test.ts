import { expect, it } from 'vitest';
import { createProject, importTasks } from '../../../../server/db/admin';
import { describeEachDb } from '../each-db';
import { HOUR, makeTask, useServer, type ServerEnv, type Session } from '../helpers';
import { addExam, answers, latest, pullAll, push, start } from './helpers';

const guideline = (id: string, version: string) => ({
  kind: 'guideline',
  doc: { id, title: 'Judging answers', version, markdown: `# Version ${version}`, examples: [] },
});

async function publish(e: ServerEnv, id: string, version: string) {
  const res = await e.call(await e.login('admin'), 'POST', '/v1/admin/config', guideline(id, version));
  expect(res.status).toBe(200);
}

async function certify(e: ServerEnv, s: Session) {
  const attempt = await start(e, s);
  await push(e, s, await answers(e, attempt, 4, 1 + (await lastId(e, s))));
}

async function lastId(e: ServerEnv, s: Session) {
  const device = await e.sdb.db
    .selectFrom('devices')
    .select('last_mutation_id')
    .where('id', '=', s.deviceId)
    .executeTakeFirstOrThrow();
  return device.last_mutation_id;
}

describeEachDb('re-certification after a major guideline version', (dialect) => {
  const env = useServer(dialect);

  it('a minor version changes nothing; a major one makes certificates due with a grace period', async () => {
    const e = env();
    await addExam(e, { grace_days: 14 });
    // another exam of the skill: the longest grace of the two applies
    await addExam(e, { id: 'other-exam', grace_days: 3 });
    await createProject(e.sdb.db, { id: 'helpful', batchSize: 2, requiresCerts: ['helpfulness'] });
    await importTasks(e.sdb.db, 'helpful', [makeTask('h1'), makeTask('h2'), makeTask('h3')]);
    await publish(e, 'default', '1.0');
    const rita = await e.login('reviewer');
    await certify(e, rita);
    const [earned] = await e.sdb.db.selectFrom('certificates').selectAll().execute();
    expect(earned!.guideline_version).toBe('1.0');

    await publish(e, 'default', '1.1');
    await publish(e, 'another-guideline', '7');
    expect(
      (await e.sdb.db.selectFrom('certificates').select('due_at').executeTakeFirstOrThrow()).due_at,
    ).toBeNull();

    e.clock.advance(HOUR);
    await publish(e, 'default', '2.0');
    const dueAt = new Date(e.clock.now + 14 * 24 * HOUR).toISOString();
    expect(
      (await e.sdb.db.selectFrom('certificates').select('due_at').executeTakeFirstOrThrow()).due_at,
    ).toBe(dueAt);
    const [told] = latest((await pullAll(e, rita)).changes).certificates();
    expect(told).toMatchObject({ id: earned!.id, dueAt, guidelineVersion: '1.0' });
    // publishing 2.x again does not move the date
    e.clock.advance(HOUR);
    await publish(e, 'default', '2.1');
    expect(
      (await e.sdb.db.selectFrom('certificates').select('due_at').executeTakeFirstOrThrow()).due_at,
    ).toBe(dueAt);

    // within the grace: still leasing; the re-certification exam may be taken (a new cycle)
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'helpful' })).status).toBe(200);
    const renewal = await start(e, rita);
    expect(renewal.number).toBe(1);
    await push(e, rita, await answers(e, renewal, 4, 1 + (await lastId(e, rita))));
    const certs = await e.sdb.db.selectFrom('certificates').selectAll().orderBy('issued_at').execute();
    expect(certs.map((c) => [c.guideline_version, c.due_at])).toEqual([
      ['1.0', dueAt],
      ['2.1', null],
    ]);
    // past the first certificate's grace, the new one carries the lease
    e.clock.advance(15 * 24 * HOUR);
    const later = await e.login('reviewer');
    expect((await e.call(later, 'POST', '/v1/sync/lease', { projectId: 'helpful' })).status).toBe(200);
  });

  it('past the grace without a new certificate, production leases are refused', async () => {
    const e = env();
    await addExam(e, { grace_days: 2 });
    await createProject(e.sdb.db, { id: 'helpful', batchSize: 2, requiresCerts: ['helpfulness'] });
    await importTasks(e.sdb.db, 'helpful', [makeTask('h1'), makeTask('h2'), makeTask('h3')]);
    const rita = await e.login('reviewer');
    await certify(e, rita);
    // the bundled guideline was version 1: publishing 2 is a new major version
    await publish(e, 'default', '2');
    e.clock.advance(2 * 24 * HOUR);
    const refused = await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'helpful' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('certification-required');
  });
});
