import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { createProject, importTasks } from '../../../server/db/admin';
import { openDatabase } from '../../../server/db/connect';
import { SERVER_SQLITE_BUSY_MS, WriteQueue } from '../../../server/db/write-queue';
import { HttpError } from '../../../server/errors';
import { describeEachDb, useFreshDb } from './each-db';
import { makeTask } from './helpers';

describeEachDb('write queue', (dialect) => {
  const getDb = useFreshDb(dialect);

  it('a failing job stores nothing of itself and leaves the others committed', async () => {
    const sdb = getDb();
    await createProject(sdb.db, { id: 'p' });
    await importTasks(sdb.db, 'p', [makeTask('a'), makeTask('b')]);
    const writes = new WriteQueue(sdb.db, sdb.dialect);
    const bump = (id: string) => (trx: Parameters<Parameters<WriteQueue['run']>[0]>[0]) =>
      trx
        .updateTable('tasks')
        .set((eb) => ({ lease_counter: eb('lease_counter', '+', 1) }))
        .where('id', '=', id)
        .execute();
    const results = await Promise.allSettled([
      writes.run(bump('a')),
      writes.run(async (trx) => {
        await bump('b')(trx);
        throw new Error('refused');
      }),
      writes.run(bump('a')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await sdb.db.selectFrom('tasks').select(['id', 'lease_counter']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', lease_counter: 2 },
      { id: 'b', lease_counter: 0 },
    ]);
  });

  if (dialect === 'postgres')
    it('runs a deadlock victim again: both writers lock rows in opposite order, both end up committed', async () => {
      const sdb = getDb();
      await createProject(sdb.db, { id: 'p' });
      await importTasks(sdb.db, 'p', [makeTask('a'), makeTask('b')]);
      const writes = new WriteQueue(sdb.db, sdb.dialect);
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothHoldOneRow = new Promise<void>((resolve) => (release = resolve));
      const attempts = { ab: 0, ba: 0 };
      const crosswise = (first: string, second: string, key: 'ab' | 'ba') =>
        writes.run(async (trx) => {
          attempts[key] += 1;
          const lock = (id: string) =>
            trx
              .updateTable('tasks')
              .set((eb) => ({ lease_counter: eb('lease_counter', '+', 1) }))
              .where('id', '=', id)
              .execute();
          await lock(first);
          if (attempts[key] === 1 && ++arrived === 2) release();
          if (attempts[key] === 1) await bothHoldOneRow;
          await lock(second);
        });
      await Promise.all([crosswise('a', 'b', 'ab'), crosswise('b', 'a', 'ba')]);
      // PostgreSQL aborted exactly one of them; it ran again after the other committed
      expect(attempts.ab + attempts.ba).toBe(3);
      const rows = await sdb.db.selectFrom('tasks').select(['id', 'lease_counter']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'a', lease_counter: 2 },
        { id: 'b', lease_counter: 2 },
      ]);
    });

  if (dialect === 'sqlite') {
    /** the server's own connection (short busy timeout) and another process's, holding the write lock */
    const lockedByAnotherWriter = async (target: string) => {
      const server = await openDatabase(target, { sqliteBusyTimeoutMs: SERVER_SQLITE_BUSY_MS });
      const other = new SQLite(target);
      other.exec('BEGIN IMMEDIATE');
      return { server, other };
    };

    it("waits for another process's write lock without stalling reads, then writes", async () => {
      const { server, other } = await lockedByAnotherWriter(getDb().target);
      try {
        const writes = new WriteQueue(server.db, server.dialect);
        let written = false;
        const write = writes
          .run((trx) =>
            trx
              .insertInto('pods')
              .values({ id: 'p1', name: 'p1', lead_user_id: null, created_at: 'now' })
              .execute(),
          )
          .then(() => (written = true));
        // the write is waiting for the lock; meanwhile the event loop and reads carry on
        for (let i = 0; i < 5; i++) {
          const pods = await server.db.selectFrom('pods').select('id').execute();
          expect(pods).toEqual([]);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(written).toBe(false);
        other.exec('COMMIT');
        await write;
        expect(await server.db.selectFrom('pods').select('id').execute()).toEqual([{ id: 'p1' }]);
      } finally {
        other.close();
        await server.close();
      }
    });

    it('gives up after its wait with 503 database-busy, storing nothing', async () => {
      const { server, other } = await lockedByAnotherWriter(getDb().target);
      try {
        const writes = new WriteQueue(server.db, server.dialect, { lockWaitMs: 100 });
        const refused = await writes
          .run((trx) =>
            trx
              .insertInto('pods')
              .values({ id: 'p1', name: 'p1', lead_user_id: null, created_at: 'now' })
              .execute(),
          )
          .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(HttpError);
        expect(refused).toMatchObject({ status: 503, code: 'database-busy' });
        other.exec('COMMIT');
        expect(await server.db.selectFrom('pods').select('id').execute()).toEqual([]);
      } finally {
        other.close();
        await server.close();
      }
    });
  }
});
