import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Mutation } from '../../../shared/sync';
import { createProject, importTasks } from '../../../server/db/admin';
import { openDatabase } from '../../../server/db/connect';
import { withdrawTasks } from '../../../server/db/withdraw';
import { openTasksCount } from '../../../server/sync/lease';
import { describeEachDb } from './each-db';
import { HOUR, leaseAndPull, makeLabel, makeTask, useServer, type ServerEnv, type Session } from './helpers';

/** occupancy as the definition says: occupying leases (active, escalated) + labels, per task */
async function recount(e: ServerEnv) {
  const rows = await e.sdb.db
    .selectFrom('tasks as t')
    .select([
      't.id',
      't.occupancy',
      sql<number>`(select count(*) from leases l where l.task_id = t.id and l.state in ('active', 'escalated'))
        + (select count(*) from labels b where b.task_id = t.id)`.as('expected'),
    ])
    .orderBy('t.id')
    .execute();
  return rows.map((r) => ({ id: r.id, occupancy: Number(r.occupancy), expected: Number(r.expected) }));
}

/** a small deterministic PRNG, so a failure replays */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describeEachDb('task occupancy counter', (dialect) => {
  const env = useServer(dialect);

  it('stays equal to leases + labels through leases, submits, edits, skips, escalations, expiry, late work and withdrawal', async () => {
    const e = env();
    await createProject(e.sdb.db, {
      id: 'mix',
      batchSize: 6,
      leaseHours: 10,
      agreementShare: 0.5,
      agreementRatings: 2,
    });
    await importTasks(
      e.sdb.db,
      'mix',
      Array.from({ length: 40 }, (_, i) => makeTask(`m${i}`)),
    );
    const random = mulberry32(7);
    const people: { s: Session; next: number; held: Map<string, number>; labels: Map<string, string> }[] = [];
    for (const who of ['reviewer', 'reviewer2', 'lead'] as const)
      people.push({ s: await e.login(who), next: 1, held: new Map(), labels: new Map() });

    for (let round = 0; round < 6; round++) {
      for (const p of people) {
        const { tokens } = await leaseAndPull(e, p.s, 'mix');
        for (const [task, token] of tokens) p.held.set(task, token);
        const mutations: Mutation[] = [];
        for (const [taskId, leaseToken] of p.held) {
          const roll = random();
          const base = { id: p.next, taskId, leaseToken };
          if (roll < 0.45) {
            const known = p.labels.get(taskId);
            const label = makeLabel(taskId, known ? { id: known, revision: round + 2 } : {});
            p.labels.set(taskId, label.id);
            mutations.push({ ...base, type: 'label.submit', label });
          } else if (roll < 0.55) {
            mutations.push({ ...base, type: 'task.skip', reason: 'cannot-judge', note: '' });
          } else if (roll < 0.62) {
            mutations.push({
              ...base,
              type: 'task.escalate',
              reason: 'guideline-gap',
              note: '',
              work: null,
            });
          } else continue; // left to expire
          p.next += 1;
          p.held.delete(taskId);
        }
        if (mutations.length) {
          const res = await e.call(p.s, 'POST', '/v1/sync/push', { deviceId: p.s.deviceId, mutations });
          expect(res.status).toBe(200);
        }
      }
      if (round === 2) {
        // tasks someone holds right now, and one nobody does
        const held = people.flatMap((p) => [...p.held.keys()].slice(0, 1));
        const withdrawn = await withdrawTasks(e.sdb.db, 'mix', [...held, 'm39']);
        expect(withdrawn.notified).toBeGreaterThan(0);
      }
      // every other round the leases run out: late work arrives flagged, tasks go back to the pool
      if (round % 2 === 1) e.clock.advance(11 * HOUR);
      for (const r of await recount(e))
        expect(r, `after round ${round}`).toMatchObject({ occupancy: r.expected });
    }
    const counts = await recount(e);
    expect(counts.some((r) => r.occupancy > 1)).toBe(true); // agreement tasks were rated twice
  });

  it('is filled in for an existing database when the migration runs', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const pushed = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [
        { id: 1, type: 'label.submit', taskId: 't1', leaseToken: tokens.get('t1')!, label: makeLabel('t1') },
        {
          id: 2,
          type: 'task.skip',
          taskId: 't2',
          leaseToken: tokens.get('t2')!,
          reason: 'cannot-judge',
          note: '',
        },
      ],
    });
    expect(pushed.status).toBe(200);
    const before = await recount(e);
    // turn the database back into one from before migration 0002, then open it again
    await sql`drop index tasks_open`.execute(e.sdb.db);
    await e.sdb.db.schema.alterTable('tasks').dropColumn('occupancy').execute();
    // (later migrations are forgotten too: they run again, and must be idempotent)
    await sql`delete from kysely_migration where name >= '0002'`.execute(e.sdb.db);
    const reopened = await openDatabase(e.sdb.target);
    try {
      const after = await recount({ ...e, sdb: { ...reopened, target: e.sdb.target } });
      expect(after).toEqual(before);
      expect(after.find((r) => r.id === 't1')?.occupancy).toBe(1); // its label
      expect(after.find((r) => r.id === 't2')?.occupancy).toBe(0); // released by the skip
      expect(after.find((r) => r.id === 't3')?.occupancy).toBe(1); // an active lease
    } finally {
      await reopened.close();
    }
  });
});

describeEachDb('open task count', (dialect) => {
  const env = useServer(dialect);

  if (dialect === 'postgres') {
    it.skip('SQLite only: PostgreSQL picks the partial index by itself (its plan depends on table size)', () => {});
    return;
  }

  it('reads the partial index even when the statistics still say every task is open', async () => {
    const e = env();
    await createProject(e.sdb.db, { id: 'big' });
    await importTasks(
      e.sdb.db,
      'big',
      Array.from({ length: 2000 }, (_, i) => makeTask(`b${i}`)),
    ); // the import ANALYZEs: 2,000 open tasks
    await e.sdb.db.updateTable('tasks').set({ occupancy: 1 }).where('project_id', '=', 'big').execute();
    const compiled = openTasksCount('sqlite', 'big').compile(e.sdb.db);
    const plan = await e.sdb.db.executeQuery<{ detail: string }>({
      ...compiled,
      sql: `explain query plan ${compiled.sql}`,
    });
    expect(plan.rows.map((r) => r.detail).join('; ')).toContain('USING INDEX tasks_open');
    const counted = await openTasksCount('sqlite', 'big').execute(e.sdb.db);
    expect(Number(counted.rows[0]!.n)).toBe(0);
  });
});
