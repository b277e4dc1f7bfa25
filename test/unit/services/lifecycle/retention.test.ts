import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { RETENTION_STEP, retentionInSteps } from '../../../../electron/services/lifecycle/retention';
import { openStore } from '../../../../electron/services/store';
import { call, jsonl, rankingTask, rankingWork, tempDir } from '../helpers';
import { type RealServer, startRealServer } from '../sync/real-server';
import { openWorkstation, query, signIn } from '../sync/workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe('retention', () => {
  it('removes acknowledged work older than the configured days; never unsent work, a draft or a local import', async () => {
    const srv = await startRealServer({ tasks: 8, batchSize: 8 });
    servers.push(srv);
    // IT's configuration file beside the data folder: 7 days
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(dataDir), 'config.json'), JSON.stringify({ retentionDays: 7 }));
    const ws = openWorkstation({ dataDir, backgroundRetention: false });
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    await call(ws, 'tasks.import', { text: jsonl(rankingTask('local-1')) });
    const leased = (await call(ws, 'queue.list', { state: 'pending', limit: 20 }))
      .map((t) => t.taskId)
      .filter((id) => id.startsWith('t'));
    expect(leased).toHaveLength(8);
    const submit = async (taskId: string) => {
      const bundle = await call(ws, 'task.open', { taskId });
      expect((await call(ws, 'label.submit', { taskId, work: rankingWork(bundle.presentedOrder) })).ok).toBe(
        true,
      );
    };
    const [oldAcked, oldAcked2, recentAcked, oldUnsent, oldDraft] = leased;
    for (const id of [oldAcked!, oldAcked2!, recentAcked!]) await submit(id);
    expect(await call(ws, 'sync.now')).toMatchObject({ queued: 0 });
    await submit(oldUnsent!);
    await submit('local-1');
    const bundle = await call(ws, 'task.open', { taskId: oldDraft! });
    await call(ws, 'draft.save', { taskId: oldDraft!, work: rankingWork(bundle.presentedOrder) });

    // age the rows as if the work was done days ago (a second connection, as another day's run would)
    const raw = new Database(path.join(dataDir, DB_FILE));
    const age = (id: string, days: number) => {
      const at = daysAgo(days);
      raw.prepare('UPDATE tasks SET updated_at = ? WHERE id = ?').run(at, id);
      raw.prepare('UPDATE labels SET updated_at = ? WHERE task_id = ?').run(at, id);
      raw.prepare('UPDATE outbox SET updated_at = ?, created_at = ? WHERE task_id = ?').run(at, at, id);
      raw.prepare('UPDATE drafts SET updated_at = ? WHERE task_id = ?').run(at, id);
    };
    age(oldAcked!, 10);
    age(oldAcked2!, 30);
    age(recentAcked!, 5);
    age(oldUnsent!, 40);
    age(oldDraft!, 40);
    age('local-1', 40);
    raw.close();

    expect(ws.applyRetention()).toBe(2);
    const ids = query<{ id: string }>(ws, 'SELECT id FROM tasks').map((r) => r.id);
    expect(ids).not.toContain(oldAcked);
    expect(ids).not.toContain(oldAcked2);
    for (const kept of [recentAcked, oldUnsent, oldDraft, 'local-1']) expect(ids).toContain(kept);
    expect(query(ws, 'SELECT 1 FROM labels WHERE task_id IN (?, ?)', oldAcked, oldAcked2)).toHaveLength(0);
    expect(query(ws, 'SELECT 1 FROM drafts WHERE task_id = ?', oldDraft)).toHaveLength(1);
    expect(query(ws, `SELECT 1 FROM outbox WHERE task_id = ? AND state = 'queued'`, oldUnsent)).toHaveLength(
      1,
    );
    // nothing more to do; the unsent label still goes out and the queue goes on
    expect(ws.applyRetention()).toBe(0);
    expect(await call(ws, 'sync.now')).toMatchObject({ queued: 0, lastError: null });
    expect((await call(ws, 'queue.summary')).submitted).toBeGreaterThan(0);
  });
});

describe('retention in the background', () => {
  it('removes a long backlog one small transaction per timer tick, then reports the total', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const store = openStore(dataDir);
    try {
      const old = daysAgo(60);
      const task = store.db.prepare(
        `INSERT INTO tasks (id, kind, body, prompt_preview, state, updated_at, imported_at)
         VALUES (?, 'ranking', '{}', 'p', ?, ?, ?)`,
      );
      const label = store.db.prepare(
        `INSERT INTO labels (id, task_id, body, revision, created_at, updated_at, synced_at)
         VALUES (?, ?, '{}', 1, ?, ?, ?)`,
      );
      const row = store.db.prepare(
        `INSERT INTO outbox (type, task_id, payload, lease_token, created_at, state, updated_at, device_id, mutation_id)
         VALUES ('label.submit', ?, '{}', 1, ?, 'accepted', ?, 'd', ?)`,
      );
      const total = RETENTION_STEP * 2 + 7;
      store.db.transaction(() => {
        for (let i = 0; i < total + 3; i++) {
          // the last three: still pending (never acknowledged work), they stay
          const done = i < total;
          task.run(`t${i}`, done ? 'submitted' : 'pending', old, old);
          if (!done) continue;
          label.run(`l${i}`, `t${i}`, old, old, old);
          row.run(`t${i}`, old, old, i + 1);
        }
      })();
      const steps: number[] = [];
      const removed = await new Promise<number>((resolve) => {
        retentionInSteps(
          store,
          30,
          new Date(),
          () => {
            steps.push(1);
            return { deviceId: 'd', mutationId: total };
          },
          resolve,
          1,
        );
      });
      expect(removed).toBe(total);
      expect(steps.length).toBe(3); // 500, 500, 7: three transactions, a timer tick apart
      expect(store.db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 3 });
      // the acknowledged history point's row stays (the next push starts from its digest)
      expect(store.db.prepare('SELECT mutation_id FROM outbox').all()).toEqual([{ mutation_id: total }]);
    } finally {
      store.close();
    }
  });
});
