import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, createProject, importTasks } from '../../../server/db/admin';
import { chunks } from '../../../server/db/batch';
import { PlannerStats } from '../../../server/db/planner-stats';
import { describeEachDb, useFreshDb } from './each-db';
import { makeTask } from './helpers';

describeEachDb('planner statistics', (dialect) => {
  const getDb = useFreshDb(dialect);

  if (dialect === 'sqlite') {
    it.skip('PostgreSQL only: SQLite plans without table statistics, PlannerStats does nothing there', () => {});
    return;
  }

  it('re-analyses a table once enough rows were written, in the background', async () => {
    const sdb = getDb();
    await createProject(sdb.db, { id: 'p' });
    const tasks = Array.from({ length: 1200 }, (_, i) => makeTask(`t${i}`));
    await importTasks(sdb.db, 'p', tasks);
    const userId = await addUser(sdb.db, { username: 'rita', password: 'long enough', role: 'reviewer' });
    for (const batch of chunks(tasks))
      await sdb.db
        .insertInto('leases')
        .values(
          batch.map((t) => ({
            task_id: t.id,
            project_id: 'p',
            user_id: userId,
            token: 1,
            expires_at: '2100-01-01T00:00:00.000Z',
            state: 'active' as const,
            created_at: '2026-01-01T00:00:00.000Z',
          })),
        )
        .execute();
    const estimate = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select reltuples::bigint as n from pg_class where relname = 'leases'`.execute(sdb.db)
        ).rows[0]!.n,
      );
    const stats = new PlannerStats(sdb.db, sdb.dialect, { minRows: 1000, delayMs: 10 });
    expect(await estimate()).toBeLessThan(1); // never analysed (-1)
    stats.changed('leases', 999);
    await stats.settled();
    expect(await estimate()).toBeLessThan(1); // below the threshold: left to autovacuum
    stats.changed('leases', 1);
    await stats.settled();
    expect(await estimate()).toBe(1200);
    await stats.close();
    stats.changed('leases', 100_000); // closed: ignored
    await stats.settled();
  });
});
