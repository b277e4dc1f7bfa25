import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrationProvider } from '../../../server/db/migrations';
import { importTasks, setWellbeing } from '../../../server/db/admin';
import { LeaseResponse } from '../../../shared/sync';
import { describeEachDb } from './each-db';
import {
  HOUR,
  leaseAndPull,
  makeLabel,
  makeTask,
  type ServerEnv,
  type Session,
  submit,
  useServer,
} from './helpers';

/**
 * The server's side of the exposure caps (docs/wellbeing.md): settings in the lease reply, the
 * day's count from pushed labels, sensitive tasks left out of the lease past the cap, and only an
 * admin changes the settings over HTTP.
 */
const sensitive = (id: string) => ({ ...makeTask(id), sensitive: true });

/** leases for the session (its UTC offset given) and returns the tasks newly assigned, in order */
async function leaseNew(e: ServerEnv, s: Session, seen: Set<string>, utcOffsetMinutes?: number) {
  const lease = await e.call(s, 'POST', '/v1/sync/lease', {
    projectId: 'prod',
    ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }),
  });
  expect(lease.status).toBe(200);
  const { tokens } = await leaseAndPull(e, s, 'prod');
  const fresh = [...tokens.keys()].filter((id) => !seen.has(id));
  for (const id of fresh) seen.add(id);
  return { reply: LeaseResponse.parse(lease.json), fresh, tokens };
}

describeEachDb('reviewer wellbeing on the server', (dialect) => {
  // project prod: batch 2, no tasks of the fixture's own (each test imports its own)
  const env = useServer(dialect, {}, { tasks: 0, batchSize: 2 });

  it('leaves sensitive tasks out of the lease past the day cap, counted from pushed labels; a new device does not reset it', async () => {
    const e = env();
    await importTasks(e.sdb.db, 'prod', [
      sensitive('s1'),
      sensitive('s2'),
      sensitive('s3'),
      makeTask('r1'),
      makeTask('r2'),
      makeTask('r3'),
      sensitive('s4'),
    ]);
    await setWellbeing(e.sdb.db, 'prod', { perDay: 2, breakAfterMinutes: 45 });
    const rita = await e.login('reviewer');
    const seen = new Set<string>();
    // batch 2: the first two tasks, sensitive ones; the settings come with the reply
    const first = await leaseNew(e, rita, seen);
    expect(first.fresh).toEqual(['s1', 's2']);
    expect(first.reply.wellbeing).toEqual([
      { projectId: 'prod', perDay: 2, perSession: null, breakAfterMinutes: 45 },
    ]);

    let mutation = 0;
    const push = async (s: Session, ids: string[], tokens: Map<string, number>) => {
      const res = await e.call(s, 'POST', '/v1/sync/push', {
        deviceId: s.deviceId,
        mutations: ids.map((id) => submit(++mutation, makeLabel(id), tokens.get(id)!)),
      });
      expect(res.status).toBe(200);
    };
    await push(rita, ['s1', 's2'], first.tokens);
    // two sensitive labels today: s3 is passed over, ordinary work goes on
    const second = await leaseNew(e, rita, seen);
    expect(second.fresh).toEqual(['r1', 'r2']);
    await push(rita, ['r1', 'r2'], second.tokens);

    // a reinstalled workstation (a new device id, an empty local count) gets no sensitive task either
    const reinstalled = await e.login('reviewer', 'device-rita-reinstalled');
    const third = await leaseNew(e, reinstalled, seen);
    expect(third.fresh).toEqual(['r3']);

    // 14:00:30 UTC: still the 5th at UTC, but past midnight for a reviewer at UTC+10
    e.clock.advance(5 * HOUR + 30_000);
    expect((await leaseNew(e, reinstalled, seen, 0)).fresh).toEqual([]);
    expect((await leaseNew(e, reinstalled, seen, 600)).fresh).toEqual(['s3']);
  });

  it("counts one reviewer's sensitive labels, not another's", async () => {
    const e = env();
    await importTasks(e.sdb.db, 'prod', [sensitive('s1'), sensitive('s2'), sensitive('s3'), makeTask('r1')]);
    await setWellbeing(e.sdb.db, 'prod', { perDay: 1 });
    const rob = await e.login('reviewer2');
    const robs = await leaseNew(e, rob, new Set());
    expect(robs.fresh).toEqual(['s1', 's2']);
    const res = await e.call(rob, 'POST', '/v1/sync/push', {
      deviceId: rob.deviceId,
      mutations: [
        submit(1, makeLabel('s1', { reviewerId: 'rob', deviceId: rob.deviceId }), robs.tokens.get('s1')!),
      ],
    });
    expect(res.status).toBe(200);
    // rob reached his cap; rita has labelled nothing: she gets the next sensitive task
    expect((await leaseNew(e, rob, new Set(['s1', 's2']))).fresh).toEqual(['r1']);
    expect((await leaseNew(e, await e.login('reviewer'), new Set())).fresh).toEqual(['s3']);
  });

  it('only an admin changes the settings over HTTP (audited); reviewers and leads are refused', async () => {
    const e = env();
    const url = '/v1/admin/projects/prod/wellbeing';
    for (const who of ['reviewer', 'lead', 'trainee'] as const) {
      const refused = await e.call(await e.login(who), 'POST', url, { perDay: 5 });
      expect({ who, status: refused.status }).toEqual({ who, status: 403 });
    }
    const admin = await e.login('admin');
    const bad = await e.call(admin, 'POST', url, { perDay: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/perDay/);
    expect((await e.call(admin, 'POST', '/v1/admin/projects/nope/wellbeing', { perDay: 5 })).status).toBe(
      404,
    );
    const ok = await e.call(admin, 'POST', url, { perDay: 5, breakAfterMinutes: 30 });
    expect(ok).toEqual({
      status: 200,
      json: { projectId: 'prod', perDay: 5, perSession: null, breakAfterMinutes: 30 },
    });
    const audited = await e.sdb.db
      .selectFrom('audit_log')
      .select(['actor_role', 'action', 'target_id', 'before', 'after'])
      .where('action', '=', 'project.set')
      .execute();
    expect(audited.map((a) => [a.actor_role, a.target_id, JSON.parse(a.after!)])).toEqual([
      ['admin', 'prod', { perDay: 5, perSession: null, breakAfterMinutes: 30 }],
    ]);
    // the settings reach a reviewer's lease reply
    const rita = await e.login('reviewer');
    const reply = await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    expect(reply.json.wellbeing).toEqual([
      { projectId: 'prod', perDay: 5, perSession: null, breakAfterMinutes: 30 },
    ]);
  });

  it('migration 0018 marks the sensitive tasks a database already holds, and runs again harmlessly', async () => {
    const e = env();
    await importTasks(e.sdb.db, 'prod', [
      sensitive('s1'),
      makeTask('r1'),
      { ...makeTask('f1'), sensitive: false },
    ]);
    // a database from before 0018: the column gone (its index on labels stays: it is guarded too)
    await sql`alter table tasks drop column sensitive`.execute(e.sdb.db);
    const migrations = await migrationProvider(dialect).getMigrations();
    const migrate = () => migrations['0018_wellbeing']!.up(e.sdb.db as Kysely<unknown>);
    await migrate();
    await migrate(); // idempotent
    const rows = await e.sdb.db
      .selectFrom('tasks')
      .select(['id', 'sensitive'])
      .where('project_id', '=', 'prod')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.id, Number(r.sensitive)])).toEqual([
      ['f1', 0],
      ['r1', 0],
      ['s1', 1],
    ]);
  });
});
