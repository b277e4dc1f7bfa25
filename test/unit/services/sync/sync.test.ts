import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { revokeUser } from '../../../../server/db/admin';
import { withdrawTasks } from '../../../../server/db/withdraw';
import { rotateEpoch } from '../../../../server/db/connect';
import { WorkState } from '../../../../shared/label';
import { call, rankingWork } from '../helpers';
import { REVIEWER, type RealServer, startRealServer } from './real-server';
import { labelAll, openWorkstation, outboxRows, query, signIn } from './workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

async function server(options: Parameters<typeof startRealServer>[0] = {}) {
  const s = await startRealServer(options);
  servers.push(s);
  return s;
}

describe('sync against the real server', () => {
  it('signs in, gets a leased batch, pushes every label exactly once and marks them synced', async () => {
    const srv = await server({ tasks: 12, batchSize: 10 });
    const ws = openWorkstation();
    const status = await signIn(ws, srv.url);
    expect(status).toMatchObject({
      signedIn: true,
      user: { username: REVIEWER.username },
      tokenProtection: 'file',
    });

    const first = await call(ws, 'sync.now');
    expect(first).toMatchObject({ state: 'online', queued: 0, lastError: null });
    expect((await call(ws, 'queue.summary')).pending).toBe(10);

    const labelled = await labelAll(ws);
    expect(labelled).toHaveLength(10);
    expect((await call(ws, 'sync.status')).queued).toBe(10);

    const after = await call(ws, 'sync.now');
    expect(after).toMatchObject({ state: 'online', queued: 0, quarantined: 0 });
    const onServer = await srv.labels();
    expect(onServer.map((l) => l.task_id).sort()).toEqual([...labelled].sort());
    expect(outboxRows(ws).every((r) => r.state === 'accepted')).toBe(true);
    expect(query(ws, 'SELECT id FROM labels WHERE synced_at IS NULL')).toEqual([]);
    // the top-up leased the remaining tasks
    expect((await call(ws, 'queue.summary')).pending).toBe(2);
  });

  it('writes the outbox row in the same transaction as the label: if one fails, neither is stored', async () => {
    const srv = await server({ tasks: 2 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const bundle = (await call(ws, 'task.next'))!;
    // a second connection makes the outbox insert fail inside the submit transaction
    const db = new Database(path.join(ws.dataDir, DB_FILE));
    db.exec(
      "CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    db.close();
    // straight to the handler: dispatch would log the (expected) failure as an internal error
    expect(() =>
      ws.handlers['label.submit']({
        taskId: bundle.task.id,
        work: WorkState.parse(rankingWork(bundle.presentedOrder)),
        acknowledgedWarnings: [],
      }),
    ).toThrow(/disk full/);
    expect(query(ws, 'SELECT id FROM labels')).toEqual([]);
    expect(query(ws, 'SELECT state FROM tasks WHERE id = ?', bundle.task.id)).toEqual([{ state: 'pending' }]);
    expect(outboxRows(ws)).toEqual([]);
  });

  it('keeps locally imported tasks local: no outbox row without a lease', async () => {
    const ws = openWorkstation();
    await call(ws, 'tasks.import', {
      text: JSON.stringify({
        id: 'local-1',
        kind: 'pairwise',
        prompt: 'p',
        responses: [
          { id: 'x', text: 'x' },
          { id: 'y', text: 'y' },
        ],
      }),
    });
    const bundle = (await call(ws, 'task.next'))!;
    await call(ws, 'task.skip', { taskId: bundle.task.id, reason: 'other', note: '' });
    expect(outboxRows(ws)).toEqual([]);
    expect(await call(ws, 'sync.status')).toMatchObject({ state: 'signed-out', queued: 0 });
  });

  it('sends an edited label again as a new mutation (revision 2) and the server keeps one label', async () => {
    const srv = await server({ tasks: 1 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const [taskId] = await labelAll(ws);
    await call(ws, 'sync.now');
    const reopened = await call(ws, 'task.open', { taskId: taskId! });
    const work = rankingWork([...reopened.presentedOrder].reverse());
    const edit = await call(ws, 'label.submit', { taskId: taskId!, work });
    expect(edit.ok).toBe(true);
    expect(outboxRows(ws).map((r) => [r.type, r.state])).toEqual([
      ['label.submit', 'accepted'],
      ['label.submit', 'queued'],
    ]);
    await call(ws, 'sync.now');
    const labels = await srv.labels();
    expect(labels).toHaveLength(1);
    expect(labels[0]!.revision).toBe(2);
  });

  it('pushes skips and escalations with the reviewer work', async () => {
    const srv = await server({ tasks: 2 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const a = (await call(ws, 'task.next'))!;
    await call(ws, 'task.skip', { taskId: a.task.id, reason: 'too-long', note: 'very long' });
    const b = (await call(ws, 'task.next'))!;
    await call(ws, 'task.escalate', {
      taskId: b.task.id,
      reason: 'safety-concern',
      note: 'see response b',
      work: rankingWork(b.presentedOrder),
    });
    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({ queued: 0, quarantined: 0, state: 'online' });
    expect(outboxRows(ws).map((r) => [r.type, r.state])).toEqual([
      ['task.skip', 'accepted'],
      ['task.escalate', 'accepted'],
    ]);
  });

  it('401 from the server: signed-out, asked to sign in again, queue and outbox untouched, no retry', async () => {
    const srv = await server({ tasks: 3 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    await labelAll(ws);
    const before = outboxRows(ws);
    await revokeUser(srv.db.db, REVIEWER.username);
    const status = await call(ws, 'sync.now');
    expect(status.state).toBe('signed-out');
    expect(status.lastError).toMatch(/sign in again/i);
    expect(status.nextAttemptAt).toBeNull();
    expect(status.queued).toBe(3);
    // nothing dropped or settled: the same rows, still waiting to be sent
    const after = outboxRows(ws);
    expect(after.map((r) => [r.seq, r.task_id, r.type])).toEqual(
      before.map((r) => [r.seq, r.task_id, r.type]),
    );
    expect(after.every((r) => r.state === 'queued' || r.state === 'sent')).toBe(true);
    const auth = await call(ws, 'auth.status');
    expect(auth.signedIn).toBe(false);
    expect(auth.signInReason).toMatch(/sign in again/i);
    expect((await call(ws, 'queue.summary')).submitted).toBe(3);
    expect(await srv.labels()).toEqual([]);
  });

  it('a push answer lost after the server applied it: the rejection still reaches the reviewer (via pull)', async () => {
    const srv = await server({ tasks: 3 });
    let dropPushAnswer = false;
    const fetchDroppingAnswer = async (input: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (dropPushAnswer && url.endsWith('/v1/sync/push')) {
        dropPushAnswer = false;
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const ws = openWorkstation({ http: { fetch: fetchDroppingAnswer } });
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const ids = await labelAll(ws);
    const withdrawn = await withdrawTasks(srv.db.db, 'p1', [ids[0]!]);
    expect(withdrawn.withdrawn).toBe(1);

    dropPushAnswer = true;
    const lost = await call(ws, 'sync.now');
    expect(lost.state).toBe('offline');
    // the server applied the batch: one rejected, two stored
    expect((await srv.labels()).map((l) => l.task_id)).toEqual([ids[1], ids[2]]);

    // the retry is a no-op on the server (outcomes: []), the verdict arrives in the pull feed
    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({ state: 'online', queued: 0, quarantined: 1 });
    const list = await call(ws, 'sync.quarantine');
    expect(list.items.map((i) => [i.taskId, i.reason])).toEqual([[ids[0], 'task-revoked']]);
    expect(list.withdrawn.map((w) => [w.taskId, w.reason])).toEqual([[ids[0], 'revoked']]);
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['quarantined', 'accepted', 'accepted']);
    expect(await srv.labels()).toHaveLength(2);
  });

  it('epoch reset (server restored): drops untouched server tasks, keeps unsent work and resends it', async () => {
    const srv = await server({ tasks: 4 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const first = (await call(ws, 'task.next'))!;
    await call(ws, 'label.submit', { taskId: first.task.id, work: rankingWork(first.presentedOrder) });
    const second = (await call(ws, 'task.next'))!;
    await call(ws, 'draft.save', { taskId: second.task.id, work: rankingWork(second.presentedOrder) });
    // the restore: a new epoch, and the server lost this device's progress
    await rotateEpoch(srv.db.db);
    await srv.db.db.updateTable('devices').set({ last_mutation_id: 0 }).execute();

    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({ state: 'online', queued: 0 });
    // the label reached the restored server, the draft is still here
    expect((await srv.labels()).map((l) => l.task_id)).toEqual([first.task.id]);
    expect(query(ws, 'SELECT task_id FROM drafts')).toEqual([{ task_id: second.task.id }]);
    expect(query(ws, "SELECT value FROM settings WHERE key = 'sync.epoch'")).not.toEqual([]);
  });

  it('offline: server down while a whole batch is labelled, labeling unaffected, sync resumes when it returns', async () => {
    const srv = await server({ tasks: 8 });
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    await srv.stop();

    const labelled = await labelAll(ws);
    expect(labelled).toHaveLength(8);
    const offline = await call(ws, 'sync.now');
    expect(offline.state).toBe('offline');
    expect(offline.queued).toBe(8);
    expect(offline.lastError).toMatch(/cannot reach the server/i);

    await srv.restart();
    const back = await call(ws, 'sync.now');
    expect(back).toMatchObject({ state: 'online', queued: 0, lastError: null });
    expect((await srv.labels()).map((l) => l.task_id)).toEqual([...labelled].sort());
  });
});
