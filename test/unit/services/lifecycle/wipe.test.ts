import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { importTasks } from '../../../../server/db/admin';
import type { Task } from '../../../../shared/task';
import { call, rankingWork } from '../helpers';
import { cli } from '../../server/cli/helpers';
import { REVIEWER, type RealServer, startRealServer } from '../sync/real-server';
import { openWorkstation, query, signIn } from '../sync/workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

/** text that exists nowhere but in these tasks: found in the file's bytes, or not */
const SENTINEL = 'QUOKKA-7731';
const secretTask = (i: number): Task => ({
  id: `s${String(i).padStart(3, '0')}`,
  kind: 'ranking',
  prompt: `Confidential client prompt ${SENTINEL} number ${i}: ${'the merger terms are '.repeat(20)}`,
  responses: ['a', 'b', 'c'].map((id) => ({ id, text: `Answer ${id} ${SENTINEL} ${'details '.repeat(30)}` })),
});

/** the database file and its WAL, as bytes on disk */
function fileBytes(dataDir: string): Buffer {
  const db = path.join(dataDir, DB_FILE);
  return Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(db + s)).map((s) => fs.readFileSync(db + s)));
}
const countIn = (bytes: Buffer, text: string) => {
  let n = 0;
  for (let at = bytes.indexOf(text); at !== -1; at = bytes.indexOf(text, at + 1)) n++;
  return n;
};

describe.each(['sqlite', 'postgres'] as const)('remote wipe against the real server (%s)', (dialect) => {
  it('device wipe: at its next contact the workstation deletes everything of the account (unsent work too), no task text remains in the file or its WAL, the user reads why, and the server records the report', async () => {
    const srv = await startRealServer({ tasks: 0, dialect, batchSize: 20 });
    servers.push(srv);
    await importTasks(
      srv.db.db,
      'p1',
      Array.from({ length: 12 }, (_, i) => secretTask(i)),
    );

    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const leased = await call(ws, 'queue.list', { state: 'pending', limit: 100 });
    expect(leased.length).toBe(12);
    // three labels reach the server; two more stay unsent; one draft
    const submit = async (taskId: string) => {
      const bundle = await call(ws, 'task.open', { taskId });
      const outcome = await call(ws, 'label.submit', { taskId, work: rankingWork(bundle.presentedOrder) });
      expect(outcome.ok).toBe(true);
    };
    for (const item of leased.slice(0, 3)) await submit(item.taskId);
    expect(await call(ws, 'sync.now')).toMatchObject({ queued: 0 });
    for (const item of leased.slice(3, 5)) await submit(item.taskId);
    const draft = await call(ws, 'task.open', { taskId: leased[5]!.taskId });
    await call(ws, 'draft.save', {
      taskId: leased[5]!.taskId,
      work: { ...rankingWork(draft.presentedOrder), rationale: { text: `draft ${SENTINEL}` } },
    });
    expect(countIn(fileBytes(ws.dataDir), SENTINEL)).toBeGreaterThan(10);

    const deviceId = query<{ value: string }>(ws, `SELECT value FROM settings WHERE key = 'sync.deviceId'`)[0]
      ?.value;
    const devices = await srv.db.db.selectFrom('devices').select('id').execute();
    expect(devices).toHaveLength(1);
    const ordered = await cli(srv.dbFile, 'device', 'wipe', devices[0]!.id);
    expect(ordered.code).toBe(0);
    expect(deviceId === undefined || deviceId === devices[0]!.id).toBe(true);

    // the next contact: a push of the unsent work, refused, with the order
    const status = await call(ws, 'sync.now');
    expect(status.state).toBe('signed-out');
    expect(await ws.reportWipe()).toBe(true);

    const bytes = fileBytes(ws.dataDir);
    expect(countIn(bytes, SENTINEL)).toBe(0);
    expect(countIn(bytes, 'merger terms')).toBe(0);
    for (const table of ['tasks', 'labels', 'drafts', 'outbox', 'leases', 'training_answers', 'notices'])
      expect(query<{ n: number }>(ws, `SELECT count(*) AS n FROM ${table}`)[0]!.n).toBe(0);

    const auth = await call(ws, 'auth.status');
    expect(auth.signedIn).toBe(false);
    expect(auth.user).toBeNull();
    expect(auth.signInReason).toMatch(/administrator had this computer wiped/);
    expect(auth.signInReason).toMatch(/including 2 items not yet sent to the server, which are lost/);
    expect(await call(ws, 'queue.list', { state: 'pending', limit: 10 })).toEqual([]);

    const order = await srv.db.db.selectFrom('device_wipes').selectAll().executeTakeFirstOrThrow();
    expect(order.wiped_at).not.toBeNull();
    expect(order.unsent).toBe(2);
    const audit = await srv.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'device.wipe%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['device.wipe', 'device.wiped']);

    // the laptop starts again as a fresh install: a sign-in registers a new device, work flows
    await signIn(ws, srv.url);
    expect((await call(ws, 'auth.status')).signedIn).toBe(true);
    expect(await srv.db.db.selectFrom('devices').select('id').execute()).toHaveLength(2);
    await call(ws, 'sync.now');
    // the three labelled tasks are done on the server; the two lost ones come back to be labelled
    expect((await call(ws, 'queue.list', { state: 'pending', limit: 100 })).length).toBeGreaterThan(0);
  });

  it('user revoke --wipe: a sign-in attempt the device secret proves carries the order (before the password is even checked)', async () => {
    const srv = await startRealServer({ tasks: 0, dialect, batchSize: 20 });
    servers.push(srv);
    await importTasks(
      srv.db.db,
      'p1',
      Array.from({ length: 4 }, (_, i) => secretTask(i)),
    );
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    expect(await call(ws, 'queue.list', { state: 'pending', limit: 100 })).toHaveLength(4);
    // signed out on this laptop before the order: it comes with the next sign-in attempt
    await call(ws, 'auth.signOut');
    expect((await cli(srv.dbFile, 'user', 'revoke', REVIEWER.username, '--wipe')).code).toBe(0);
    const refused = await ws.dispatch('auth.signIn', {
      serverUrl: srv.url,
      username: REVIEWER.username,
      password: 'not the password',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!refused.ok && refused.error.message).toMatch(/administrator had this computer wiped/);
    expect(await ws.reportWipe()).toBe(true);
    expect(countIn(fileBytes(ws.dataDir), SENTINEL)).toBe(0);
    const order = await srv.db.db.selectFrom('device_wipes').selectAll().executeTakeFirstOrThrow();
    expect(order).toMatchObject({ unsent: 0 });
    expect(order.wiped_at).not.toBeNull();
  });
});

describe('remote wipe: an order this install cannot check is not obeyed', () => {
  it('a refusal carrying an order with a wrong proof, or for another device, deletes nothing', async () => {
    const srv = await startRealServer({ tasks: 0, batchSize: 20 });
    servers.push(srv);
    await importTasks(
      srv.db.db,
      'p1',
      Array.from({ length: 3 }, (_, i) => secretTask(i)),
    );
    const ws = openWorkstation();
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const [device] = await srv.db.db.selectFrom('devices').select('id').execute();
    // an impostor answering on the server's address, without the device secret's hash
    await srv.db.db
      .updateTable('devices')
      .set({ secret_hash: 'f'.repeat(64), revoked_at: new Date().toISOString() })
      .where('id', '=', device!.id)
      .execute();
    await srv.db.db
      .insertInto('device_wipes')
      .values({
        id: 'forged',
        device_id: device!.id,
        ordered_at: new Date().toISOString(),
        wiped_at: null,
        unsent: null,
      })
      .execute();
    const status = await call(ws, 'sync.now');
    expect(status.state).toBe('signed-out');
    expect((await call(ws, 'auth.status')).signInReason).not.toMatch(/wiped/);
    expect(await call(ws, 'queue.list', { state: 'pending', limit: 10 })).toHaveLength(3);
    expect(countIn(fileBytes(ws.dataDir), SENTINEL)).toBeGreaterThan(0);
  });
});
