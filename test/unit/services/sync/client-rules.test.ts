import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import type { Timers } from '../../../../electron/services/sync/engine';
import { backoffDelay } from '../../../../electron/services/sync/backoff';
import { call, rankingWork } from '../helpers';
import { type FakeServer, assignment, startFakeServer } from './fake-server';
import { labelAll, openWorkstation, outboxRows, query } from './workstation';
import { REVIEWER } from './real-server';

const fakes: FakeServer[] = [];
afterEach(async () => {
  while (fakes.length) await fakes.pop()!.close();
});

async function fake(tasks: number) {
  const f = await startFakeServer();
  fakes.push(f);
  for (let i = 1; i <= tasks; i++) f.changes.push(assignment(`t${i}`));
  return f;
}

/** Timers the test fires by hand: records every wait the engine asks for. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = {
    set: (fn, ms) => {
      const entry = { fn, ms };
      pending.push(entry);
      return entry;
    },
    clear: (handle) => {
      const i = pending.indexOf(handle as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending };
}

async function signedIn(f: FakeServer, options: Parameters<typeof openWorkstation>[0] = {}) {
  const ws = openWorkstation(options);
  await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
  return ws;
}

describe('backoff', () => {
  it('is exponential with full jitter, capped at 5 minutes', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(20, () => 0.999999)).toBeLessThan(300_000);
    expect(backoffDelay(20, () => 0.5)).toBe(150_000);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });
});

describe('sync client rules (scripted server)', () => {
  it('5xx and network errors: offline, retried with growing backoff, then applied once the server answers', async () => {
    const f = await fake(3);
    const { timers, pending } = manualTimers();
    const ws = await signedIn(f, { sync: { timers, random: () => 0.5 } });
    await call(ws, 'sync.now');
    await labelAll(ws);
    f.fail.push = { status: 503 };
    ws.sync.start();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const next = pending.shift()!;
      waits.push(next.ms);
      next.fn();
      await ws.sync.cycle();
    }
    expect(waits).toEqual([0, 1000, 2000, 4000]);
    const status = await call(ws, 'sync.status');
    expect(status).toMatchObject({ state: 'offline', queued: 3 });
    expect(status.lastError).toMatch(/HTTP 503/);
    expect(status.nextAttemptAt).not.toBeNull();

    f.fail.push = null;
    const next = pending.shift()!;
    expect(next.ms).toBe(8000);
    next.fn();
    await ws.sync.cycle();
    expect(await call(ws, 'sync.status')).toMatchObject({ state: 'online', queued: 0, lastError: null });
    expect(f.applied).toEqual([1, 2, 3]);
    // after a clean cycle the loop goes back to its interval
    expect(pending.map((p) => p.ms)).toEqual([60_000]);
    ws.sync.stop();
  });

  it('the background loop pushes soon after a submit, then returns to its interval', async () => {
    const f = await fake(2);
    const { timers, pending } = manualTimers();
    const ws = await signedIn(f, { sync: { timers } });
    ws.sync.start();
    pending.shift()!.fn();
    await ws.sync.cycle();
    expect(pending.map((p) => p.ms)).toEqual([60_000]);
    const bundle = (await call(ws, 'task.next'))!;
    await call(ws, 'label.submit', { taskId: bundle.task.id, work: rankingWork(bundle.presentedOrder) });
    expect(pending.map((p) => p.ms)).toEqual([1500]); // nudged: the interval timer was replaced
    pending.shift()!.fn();
    await ws.sync.cycle();
    expect(f.applied).toEqual([1]);
    expect(pending.map((p) => p.ms)).toEqual([60_000]);
    ws.sync.stop();
    expect(pending).toEqual([]);
  });

  it('a batch refused with 400 is split until the bad item is alone; only it is quarantined, ids stay gap-free', async () => {
    const f = await fake(6);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    const ids = await labelAll(ws);
    f.badTasks.add(ids[2]!);
    const status = await call(ws, 'sync.now');
    expect(status).toMatchObject({ queued: 0, quarantined: 1 });
    expect(f.applied).toEqual([1, 2, 3, 4, 5]);
    const rows = outboxRows(ws);
    expect(rows.filter((r) => r.state === 'quarantined').map((r) => r.task_id)).toEqual([ids[2]]);
    expect(rows).toHaveLength(6); // never deleted
    const list = await call(ws, 'sync.quarantine');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ taskId: ids[2], reason: 'invalid', type: 'label.submit' });
    expect(list.items[0]!.message).toMatch(/mutations\.0\.label: not acceptable/);
    // the label itself is still on this computer
    expect(query(ws, 'SELECT task_id FROM labels WHERE task_id = ?', ids[2])).toHaveLength(1);
  });

  it('an item the server rejects is quarantined with its reason and message, not deleted', async () => {
    const f = await fake(2);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    const ids = await labelAll(ws);
    f.rejectTasks.set(ids[0]!, 'task-revoked');
    await call(ws, 'sync.now');
    const list = await call(ws, 'sync.quarantine');
    expect(list.items.map((i) => [i.taskId, i.reason, i.message])).toEqual([
      [ids[0], 'task-revoked', 'refused: task-revoked'],
    ]);
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['quarantined', 'accepted']);
    expect(query(ws, 'SELECT synced_at FROM labels WHERE task_id = ?', ids[0])).toEqual([
      { synced_at: null },
    ]);
  });

  it('403: signed out, nothing retried, queue untouched', async () => {
    const f = await fake(1);
    const { timers, pending } = manualTimers();
    const ws = await signedIn(f, { sync: { timers } });
    await call(ws, 'sync.now');
    await labelAll(ws);
    f.fail.push = { status: 403, body: { error: { code: 'device-revoked', message: 'device revoked' } } };
    ws.sync.start();
    pending.shift()!.fn();
    await ws.sync.cycle();
    expect(pending).toEqual([]);
    const status = await call(ws, 'sync.status');
    expect(status).toMatchObject({ state: 'signed-out', queued: 1 });
    expect(status.lastError).toMatch(/device revoked/);
    expect((await call(ws, 'queue.summary')).submitted).toBe(1);
  });

  it('applies a pull page and its cursor in one transaction: a failure leaves neither', async () => {
    const f = await fake(3);
    const ws = await signedIn(f);
    const db = new Database(path.join(ws.dataDir, DB_FILE));
    db.exec(
      "CREATE TRIGGER t3_fails BEFORE INSERT ON tasks WHEN NEW.id = 't3' BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    const failed = await call(ws, 'sync.now');
    expect(failed.lastError).toMatch(/boom/);
    expect(query(ws, 'SELECT id FROM tasks')).toEqual([]);
    expect(query(ws, "SELECT value FROM settings WHERE key = 'sync.cursor'")).toEqual([]);
    db.exec('DROP TRIGGER t3_fails');
    db.close();
    await call(ws, 'sync.now');
    expect(query(ws, 'SELECT id FROM tasks ORDER BY id')).toEqual([{ id: 't1' }, { id: 't2' }, { id: 't3' }]);
    expect(query(ws, "SELECT value FROM settings WHERE key = 'sync.cursor'")).toEqual([{ value: '3' }]);
  });

  it('pulls page by page until hasMore is false, with progress while pushing a big batch', async () => {
    const f = await fake(25);
    f.pullLimit = 10;
    const ws = await signedIn(f, { sync: { pushBatch: 7 } });
    await call(ws, 'sync.now');
    expect((await call(ws, 'queue.summary')).pending).toBe(25);
    await labelAll(ws);
    const seen: (number | undefined)[] = [];
    const running = ws.sync.cycle();
    for (let i = 0; i < 50 && ws.sync.status().state === 'syncing'; i++) {
      seen.push(ws.sync.status().progress?.done);
      await new Promise((r) => setImmediate(r));
    }
    await running;
    expect(f.pushes.map((p) => p.mutations.length)).toEqual([7, 7, 7, 4]);
    expect(seen.some((d) => d !== undefined && d > 0 && d < 25)).toBe(true);
    expect(ws.sync.status().progress).toBeNull();
  });

  it('revoke: removes untouched tasks, keeps (and marks) tasks holding local work', async () => {
    const f = await fake(4);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    await call(ws, 'draft.save', { taskId: 't2', work: { ranks: { a: 1 } } });
    const t3 = await call(ws, 'task.open', { taskId: 't3' });
    await call(ws, 'label.submit', { taskId: 't3', work: rankingWork(t3.presentedOrder) });
    await call(ws, 'task.skip', { taskId: 't4', reason: 'other', note: '' });
    f.fail.push = { status: 400, body: { error: { code: 'x', message: 'not now' } } };
    // t4's skip is refused and quarantined, t3's label too: neither is deleted, both tasks stay
    f.changes.push(
      { type: 'revoke', taskId: 't1', reason: 'revoked' },
      { type: 'revoke', taskId: 't2', reason: 'lease-expired' },
      { type: 'revoke', taskId: 't3', reason: 'revoked' },
      { type: 'revoke', taskId: 't4', reason: 'revoked' },
    );
    await call(ws, 'sync.now');
    expect(query(ws, 'SELECT id FROM tasks ORDER BY id')).toEqual([{ id: 't2' }, { id: 't3' }, { id: 't4' }]);
    const list = await call(ws, 'sync.quarantine');
    expect(list.withdrawn.map((w) => [w.taskId, w.reason])).toEqual([
      ['t2', 'lease-expired'],
      ['t3', 'revoked'],
      ['t4', 'revoked'],
    ]);
    expect(list.items.map((i) => i.taskId)).toEqual(['t3', 't4']);
    expect((await call(ws, 'sync.status')).withdrawnKept).toBe(3);
  });

  it('a push refused as a whole does not stop the pull; the same refusal again says plainly that sync is stuck', async () => {
    const f = await fake(2);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    await labelAll(ws);
    f.fail.push = { status: 400, body: { error: { code: 'mutation-gap', message: 'mutations.0.id is 9' } } };
    f.changes.push({ type: 'revoke', taskId: 't9', reason: 'revoked' }, assignment('t3'));
    const first = await call(ws, 'sync.now');
    // the pull still ran: the new assignment is here, and the cursor moved
    expect(query(ws, "SELECT id FROM tasks WHERE id = 't3'")).toEqual([{ id: 't3' }]);
    expect(first.queued).toBe(2);
    expect(first.lastError).toMatch(/refused this computer's work \(mutation-gap/);
    const second = await call(ws, 'sync.now');
    expect(second.lastError).toMatch(/^Sync is stuck; your work is safe on this computer/);
    expect(second.lastError).toMatch(/refused this computer's work 2 times since .*\(mutation-gap/);
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['sent', 'sent']);
    f.fail.push = null;
    expect(await call(ws, 'sync.now')).toMatchObject({ queued: 0, lastError: null });
  });

  it('never takes as acknowledged an id it has not sent itself, whatever lastMutationId the server reports', async () => {
    const f = await fake(3);
    const ws = await signedIn(f, { sync: { pushBatch: 1 } });
    await call(ws, 'sync.now');
    await labelAll(ws);
    // a server (or another install under the same id) claims far more than this install sent
    f.fail.push = { status: 200, body: { lastMutationId: 50, outcomes: [] } };
    await call(ws, 'sync.now');
    // each row was acknowledged only by the answer to its own push: three pushes, ids 1, 2, 3 (the
    // scripted answers left the fake holding nothing, which the pull then reveals: sent again)
    expect(f.pushes.slice(0, 3).map((p) => p.mutations.map((m) => m.id))).toEqual([[1], [2], [3]]);
    expect(outboxRows(ws).map((r) => [r.mutation_id, r.state])).toEqual([
      [1, 'accepted'],
      [2, 'accepted'],
      [3, 'accepted'],
    ]);
  });

  it('a 200 answer that applies nothing stops the push instead of looping', async () => {
    const f = await fake(1);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    await labelAll(ws);
    f.fail.push = { status: 200, body: { lastMutationId: 0, outcomes: [] } };
    const status = await call(ws, 'sync.now');
    expect(status.queued).toBe(1);
    expect(status.lastError).toMatch(/did not apply/);
  });

  it('after a restore, everything the server lost is sent again with its ids, even with nothing queued', async () => {
    const f = await fake(3);
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    const ids = await labelAll(ws);
    f.rejectTasks.set(ids[0]!, 'not-assigned');
    await call(ws, 'sync.now');
    expect(f.applied).toEqual([1, 2, 3]);
    f.rejectTasks.clear();
    f.restore(0);
    const status = await call(ws, 'sync.status');
    expect(status.queued).toBe(0);
    expect(await call(ws, 'sync.now')).toMatchObject({ state: 'online', queued: 0, quarantined: 0 });
    // nothing was queued: the pull told the device the server holds its history only up to 0, so
    // every mutation after it (the rejected one too: the restored server never judged it) went again
    expect(f.applied).toEqual([1, 2, 3, 1, 2, 3]);
    expect(outboxRows(ws).map((r) => [r.task_id, r.state, r.mutation_id])).toEqual([
      [ids[0], 'accepted', 1],
      [ids[1], 'accepted', 2],
      [ids[2], 'accepted', 3],
    ]);
  });

  it('guideline and taxonomy changes update the config documents', async () => {
    const f = await fake(0);
    f.changes.push({
      type: 'guideline',
      guideline: {
        id: 'default',
        title: 'Server guideline',
        version: '9',
        markdown: '# From the server',
        examples: [],
      },
    });
    const ws = await signedIn(f);
    await call(ws, 'sync.now');
    const guideline = await call(ws, 'guideline.get', {});
    expect(guideline).toMatchObject({ id: 'default', version: '9' });
  });
});
