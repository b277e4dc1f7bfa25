import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { importTasks } from '../../../../server/db/admin';
import { call, rankingWork } from '../helpers';
import { REVIEWER, REVIEWER2, type RealServer, startRealServer } from '../sync/real-server';
import { openWorkstation, query, signIn } from '../sync/workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

const SENTINEL = 'WOMBAT-5521';
const fileBytes = (dataDir: string) => {
  const db = path.join(dataDir, DB_FILE);
  return Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(db + s)).map((s) => fs.readFileSync(db + s)));
};
const count = (ws: { dataDir: string }, table: string) =>
  query<{ n: number }>(ws, `SELECT count(*) AS n FROM ${table}`)[0]!.n;

describe('account switch on a shared laptop', () => {
  it("removes the previous user's tasks, drafts, labels, training answers and snapshots once their outbox is empty, never before", async () => {
    const srv = await startRealServer({ tasks: 0, batchSize: 4 });
    servers.push(srv);
    await importTasks(
      srv.db.db,
      'p1',
      Array.from({ length: 4 }, (_, i) => ({
        id: `r${i}`,
        kind: 'ranking' as const,
        prompt: `Rita's client prompt ${SENTINEL} ${i} ${'quarterly numbers '.repeat(15)}`,
        responses: ['a', 'b'].map((id) => ({ id, text: `Answer ${id} ${SENTINEL}` })),
      })),
    );
    const ws = openWorkstation();
    const rita = await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const tasks = await call(ws, 'queue.list', { state: 'pending', limit: 10 });
    expect(tasks).toHaveLength(4);
    const submit = async (taskId: string) => {
      const bundle = await call(ws, 'task.open', { taskId });
      expect((await call(ws, 'label.submit', { taskId, work: rankingWork(bundle.presentedOrder) })).ok).toBe(
        true,
      );
    };
    await submit(tasks[0]!.taskId);
    const draft = await call(ws, 'task.open', { taskId: tasks[1]!.taskId });
    await call(ws, 'draft.save', { taskId: tasks[1]!.taskId, work: rankingWork(draft.presentedOrder) });
    // Rita's answers and dashboard figures kept on this computer (as training and metrics write them)
    const raw = new Database(path.join(ws.dataDir, DB_FILE));
    raw
      .prepare(
        `INSERT INTO training_answers (owner_id, ref_key, kind, parent_id, task_id, state, updated_at)
         VALUES (?, 'k1', 'sandbox', 'c1', 'x1', 'submitted', '2026-01-01T00:00:00.000Z')`,
      )
      .run(rita.user!.id);
    raw
      .prepare(
        `INSERT INTO metric_snapshots (owner_id, key, body, fetched_at) VALUES (?, 'k', ?, '2026-01-01')`,
      )
      .run(rita.user!.id, `{"note":"${SENTINEL}"}`);
    raw.close();
    await call(ws, 'auth.signOut');

    // unsent work: Rob may not sign in over it, and nothing of Rita's goes
    const refused = await ws.dispatch('auth.signIn', { serverUrl: srv.url, ...REVIEWER2 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(count(ws, 'tasks')).toBe(4);
    expect(count(ws, 'labels')).toBe(1);
    expect(count(ws, 'drafts')).toBe(1);

    // Rita syncs it: now the switch removes her work
    await signIn(ws, srv.url, REVIEWER);
    expect(await call(ws, 'sync.now')).toMatchObject({ queued: 0 });
    await call(ws, 'auth.signOut');
    expect(fileBytes(ws.dataDir).includes(SENTINEL)).toBe(true);

    const rob = await signIn(ws, srv.url, REVIEWER2);
    expect(rob.user?.username).toBe(REVIEWER2.username);
    for (const table of ['tasks', 'labels', 'drafts', 'leases', 'training_answers', 'metric_snapshots'])
      expect({ table, n: count(ws, table) }).toEqual({ table, n: 0 });
    expect(query(ws, `SELECT 1 FROM outbox WHERE state = 'accepted'`).length).toBeLessThanOrEqual(1);
    // overwritten in place (secure_delete) and gone from the WAL (checkpointed after the sign-in)
    expect(fileBytes(ws.dataDir).includes(SENTINEL)).toBe(false);
    expect(REVIEWER.username).not.toBe(REVIEWER2.username);
  });
});
