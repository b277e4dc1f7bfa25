import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { createProject, importTasks } from '../../../server/db/admin';
import type { ForeignTask } from '../../../server/db/task-import';
import { beginTaskImport, ForeignTaskCheck } from '../../../server/db/task-import';
import { describeEachDb, useFreshDb } from './each-db';
import { makeTask } from './helpers';

describeEachDb('task import (db/task-import.ts)', (dialect) => {
  const db = useFreshDb(dialect);

  async function* generated(prefix: string, count: number) {
    for (let i = 1; i <= count; i++) yield makeTask(`${prefix}${i}`);
  }
  const projectTaskIds = async (projectId: string) =>
    (
      await db()
        .db.selectFrom('tasks')
        .select('id')
        .where('project_id', '=', projectId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.id);

  it('importTasks takes an async iterable of several chunks; repeats are counted as existing', async () => {
    await createProject(db().db, { id: 'p' });
    expect(await importTasks(db().db, 'p', generated('t', 1100))).toEqual({ inserted: 1100, existing: 0 });
    expect(await importTasks(db().db, 'p', [makeTask('t7'), makeTask('new'), makeTask('new')])).toEqual({
      inserted: 1,
      existing: 2,
    });
    const ids = await projectTaskIds('p');
    expect(ids).toHaveLength(1101);
    expect(ids.slice(0, 2)).toEqual(['t1', 't2']);
    expect(ids.at(-1)).toBe('new');
  });

  it('importTasks throws on an id of another project and writes nothing, not even earlier chunks', async () => {
    await createProject(db().db, { id: 'one' });
    await createProject(db().db, { id: 'two' });
    await importTasks(db().db, 'one', [makeTask('t900')]);
    await expect(importTasks(db().db, 'two', generated('t', 1000))).rejects.toThrow(
      'task "t900" already belongs to project "one"',
    );
    expect(await projectTaskIds('two')).toEqual([]);
    expect(await projectTaskIds('one')).toEqual(['t900']);
  });

  it('ForeignTaskCheck reports, chunk by chunk, the ids of other projects with their lines', async () => {
    await createProject(db().db, { id: 'one' });
    await createProject(db().db, { id: 'two' });
    await importTasks(db().db, 'one', [makeTask('t3'), makeTask('t800')]);
    await importTasks(db().db, 'two', [makeTask('t5')]);
    const reported: ForeignTask[] = [];
    const check = new ForeignTaskCheck(db().db, 'two', (task) => reported.push(task));
    for (let i = 1; i <= 900; i++) await check.add(`t${i}`, i + 10);
    await check.add('t3', 2000); // a repeat in a later chunk is looked up (and reported) again
    expect(reported).toEqual([{ id: 't3', owner: 'one', line: 13 }]); // t800's chunk is not full yet
    await check.flush();
    expect(reported).toEqual([
      { id: 't3', owner: 'one', line: 13 },
      { id: 't800', owner: 'one', line: 810 },
      { id: 't3', owner: 'one', line: 2000 },
    ]);
    expect(await projectTaskIds('two')).toEqual(['t5']); // it only reads
  });

  if (dialect === 'sqlite') {
    it('holds the write lock from the start, so a server write meanwhile cannot make it fail', async () => {
      await createProject(db().db, { id: 'p' });
      const run = await beginTaskImport(db().db, 'p', () => undefined);
      // the running server, as a second connection that does not wait for the lock
      const other = new SQLite(db().target);
      try {
        other.pragma('busy_timeout = 0');
        expect(() => other.prepare(`update projects set name = 'renamed' where id = 'p'`).run()).toThrow(
          /database is locked/,
        );
        await run.add(makeTask('t1'));
        expect(await run.commit()).toEqual({ inserted: 1, existing: 0 });
      } finally {
        await run.rollback();
        other.close();
      }
    });
  }
});
