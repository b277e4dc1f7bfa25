import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { PullResponse } from '../../../shared/sync';
import { migrationProvider } from '../../../server/db/migrations';
import { withdrawTasks } from '../../../server/db/withdraw';
import { describeEachDb } from './each-db';
import { HOUR, useServer, type ServerEnv, type Session } from './helpers';

describeEachDb('withdrawn tasks leave the change feed', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 4, tasks: 6 });

  /** the real server on a free port (closed by useServer): pulls go over HTTP, the test reads the raw answer */
  async function listen(e: ServerEnv) {
    await e.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = e.app.server.address() as AddressInfo;
    return async (s: Session, cursor: string | null, epoch: string | null, limit = 2000) => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/sync/pull`, {
        method: 'POST',
        headers: { ...s.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: s.deviceId, cursor, epoch, limit }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      return { text, body: PullResponse.parse(JSON.parse(text)) };
    };
  }

  const changeRows = (e: ServerEnv) =>
    e.sdb.db.selectFrom('changes').select(['seq', 'type', 'payload']).orderBy('seq').execute();

  it('rewrites every assignment of a withdrawn task into its revoke, in place: a pull from the start never sees the prompt', async () => {
    const e = env();
    const pull = await listen(e);
    const rita = await e.login('reviewer');
    await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'prod' }); // t1-t4
    // a cursor that points at rita's assignment of t1, taken before the withdrawal
    const first = await pull(rita, null, null, 1);
    expect(first.body.changes).toMatchObject([{ type: 'assignment', task: { id: 't1' } }]);
    e.clock.advance(73 * HOUR); // rita's leases expire: rob gets the same tasks, assigned a second time
    const rob = await e.login('reviewer2');
    await e.call(rob, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    const before = await changeRows(e);
    expect(before.filter((c) => c.payload.includes('Prompt for t1'))).toHaveLength(2);

    expect(await withdrawTasks(e.sdb.db, 'prod', ['t1', 't2'])).toMatchObject({ withdrawn: 2 });

    // nothing deleted: the same rows at the same seqs, the four assignments of t1, t2 now revokes
    const after = await changeRows(e);
    expect(after.slice(0, before.length).map((c) => c.seq)).toEqual(before.map((c) => c.seq));
    const rewritten = before
      .map((c, i) => [c, after[i]!] as const)
      .filter(([b, a]) => b.payload !== a.payload)
      .map(([b, a]) => [b.type, JSON.parse(b.payload).task.id, a.type, JSON.parse(a.payload)]);
    expect(rewritten).toEqual(
      ['t1', 't2', 't1', 't2'].map((id) => [
        'assignment',
        id,
        'revoke',
        { type: 'revoke', taskId: id, reason: 'revoked' },
      ]),
    );
    for (const row of after) expect(row.payload).not.toMatch(/Prompt for t[12]\b/);

    // every reader from the start: rita, rob, and rita on a new device
    const ritaNew = await e.login('reviewer', 'device-rita-2');
    for (const s of [rita, rob, ritaNew]) {
      const { text, body } = await pull(s, null, null);
      expect(text).not.toContain('Prompt for t1');
      expect(text).not.toContain('Prompt for t2');
      const assigned = body.changes.flatMap((c) => (c.type === 'assignment' ? [c.task.id] : []));
      expect(assigned).not.toContain('t1');
      expect(assigned).not.toContain('t2');
      expect(assigned).toEqual(expect.arrayContaining(['t3', 't4'])); // the rest of the feed is intact
      expect(body.changes).toContainEqual({ type: 'revoke', taskId: 't1', reason: 'revoked' });
    }

    // the cursor taken before still points where it did: no reset, the feed goes on after it
    const resumed = await pull(rita, first.body.cursor, first.body.epoch);
    expect(resumed.body.reset).toBe(false);
    expect(resumed.text).not.toContain('Prompt for t2');
    const brief = (c: (typeof resumed.body.changes)[number]) =>
      c.type === 'assignment'
        ? `assignment ${c.task.id}`
        : c.type === 'revoke'
          ? `revoke ${c.taskId} ${c.reason}`
          : c.type;
    expect(resumed.body.changes.map(brief)).toEqual([
      'revoke t2 revoked', // was rita's assignment of t2
      'assignment t3',
      'assignment t4',
      'revoke t1 lease-expired',
      'revoke t2 lease-expired',
      'revoke t3 lease-expired',
      'revoke t4 lease-expired',
    ]);
  });

  it('the migration that indexes assignments scrubs tasks withdrawn before it existed', async () => {
    const e = env();
    const pull = await listen(e);
    const rita = await e.login('reviewer');
    await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'prod' }); // t1-t4
    // a database from before: t3 withdrawn (its text left in the log), migration 0005 not yet run
    await e.sdb.db
      .updateTable('tasks')
      .set({ revoked_at: e.clock.read().toISOString() })
      .where('id', '=', 't3')
      .execute();
    await sql`drop index changes_assignment_task`.execute(e.sdb.db);
    await sql`alter table changes drop column assignment_task_id`.execute(e.sdb.db);
    expect((await pull(rita, null, null)).text).toContain('Prompt for t3');

    // what the next server start does (the migration alone: others after it need not replay)
    const migrations = await migrationProvider(dialect).getMigrations();
    const migrate = () => migrations['0005_changes_assignment_task']!.up(e.sdb.db as Kysely<unknown>);
    await migrate();
    await migrate(); // idempotent

    const { text, body } = await pull(rita, null, null);
    expect(text).not.toContain('Prompt for t3');
    const brief = body.changes.map((c) =>
      c.type === 'assignment'
        ? `assignment ${c.task.id}`
        : c.type === 'revoke'
          ? `revoke ${c.taskId} ${c.reason}`
          : c.type,
    );
    expect(brief).toEqual(['assignment t1', 'assignment t2', 'revoke t3 revoked', 'assignment t4']);
  });
});
