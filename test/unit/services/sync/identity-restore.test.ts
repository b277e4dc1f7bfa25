import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { call, resourcesDir, tempDir } from '../helpers';
import { describeEachDb } from '../../server/each-db';
import { REVIEWER2, type RealServer, startRealServer } from './real-server';
import {
  labelSome,
  openWorkstation,
  outboxRows,
  query,
  runAndKill,
  signIn,
  type Workstation,
} from './workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

async function server(options: Parameters<typeof startRealServer>[0]) {
  const s = await startRealServer(options);
  servers.push(s);
  return s;
}

/** the label ids a workstation holds (latest revision of each) */
const localLabels = (ws: { dataDir: string }) =>
  query<{ id: string; task_id: string; revision: number }>(ws, 'SELECT id, task_id, revision FROM labels');

/**
 * every local label is on the server exactly once, with its latest revision; nothing else is there
 * (copied installs hold the labels made before the copy twice: the same ids)
 */
async function expectExactlyOnce(srv: RealServer, ...stations: { dataDir: string }[]) {
  const mine = [...new Map(stations.flatMap(localLabels).map((l) => [l.id, l])).values()];
  const onServer = await srv.labels();
  const ids = onServer.map((l) => l.id);
  expect(new Set(ids).size, 'a label stored twice').toBe(ids.length);
  expect([...ids].sort()).toEqual(mine.map((l) => l.id).sort());
  const revision = new Map(onServer.map((l) => [l.id, l.revision]));
  for (const l of mine) expect(revision.get(l.id), `revision of ${l.task_id}`).toBe(l.revision);
}

function expectAllAccepted(ws: { dataDir: string }) {
  const rows = outboxRows(ws);
  expect(
    rows.filter((r) => r.state !== 'accepted').map((r) => [r.task_id, r.state, r.reason, r.message]),
  ).toEqual([]);
}

/** a clock the test moves: the workstation and the server read the same time */
function movableClock() {
  let offset = 0;
  return {
    read: () => new Date(Date.now() + offset),
    advance: (ms: number) => (offset += ms),
  };
}

describeEachDb('device identity: copied installs', (dialect) => {
  it('two workstations started from one copied data folder label offline; every label reaches the server once', async () => {
    const srv = await server({ dialect, tasks: 30, batchSize: 30 });
    const original = openWorkstation({ resourcesDir });
    await signIn(original, srv.url);
    await call(original, 'sync.now');
    await labelSome(original, 3);
    await call(original, 'sync.now');
    // two labels not yet sent when the folder is copied: both copies hold them
    await labelSome(original, 2);
    original.close();
    const copyDir = path.join(tempDir(), 'data');
    fs.cpSync(original.dataDir, copyDir, { recursive: true });

    const a = openWorkstation({ resourcesDir, dataDir: original.dataDir });
    const b = openWorkstation({ resourcesDir, dataDir: copyDir });
    // offline, each labels different tasks of the queue they share
    await labelSome(a, 4, 0);
    await labelSome(b, 4, 10);
    expect(await call(a, 'sync.now')).toMatchObject({ state: 'online', queued: 0, quarantined: 0 });
    const second = await call(b, 'sync.now');
    expect(second).toMatchObject({ state: 'online', queued: 0, quarantined: 0, lastError: null });
    // the copy now syncs under a device id of its own
    const deviceOf = (ws: Workstation) =>
      query<{ value: string }>(ws, "SELECT value FROM settings WHERE key = 'sync.deviceId'")[0]?.value ??
      null;
    expect(deviceOf(b)).not.toBeNull();
    expect(deviceOf(b)).not.toBe(deviceOf(a));

    // and both go on working without stepping on each other
    await labelSome(a, 2, 0);
    await labelSome(b, 2, 10);
    await call(b, 'sync.now');
    await call(a, 'sync.now');
    await expectExactlyOnce(srv, a, b);
    expectAllAccepted(a);
    expectAllAccepted(b);
    expect(await srv.labels()).toHaveLength(3 + 2 + 4 + 4 + 2 + 2);
  }, 60_000);
});

describeEachDb('restore from a backup', (dialect) => {
  it('label, sync, back up, label and sync, restore, label, sync: every label once, nothing queued or quarantined', async () => {
    const clock = movableClock();
    // small batches: some leases are granted after the backup, so the restored server forgets them
    const srv = await server({ dialect, tasks: 60, batchSize: 10, clock: clock.read });
    const ws = openWorkstation({ resourcesDir, clock: clock.read });
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    await labelSome(ws, 10);
    await call(ws, 'sync.now');
    const backup = await srv.backup();
    expect(await srv.labels()).toHaveLength(10);

    await labelSome(ws, 10);
    await call(ws, 'sync.now');
    expect(await srv.labels()).toHaveLength(20);

    // a second reviewer's workstation labels before and after the backup, then stays offline
    const other = openWorkstation({ resourcesDir, clock: clock.read });
    await signIn(other, srv.url, REVIEWER2);
    await call(other, 'sync.now');
    await labelSome(other, 3);
    await call(other, 'sync.now');

    await srv.restoreFrom(backup);
    expect(await srv.labels()).toHaveLength(10);
    // this reviewer did not notice: they label on (tasks leased after the backup, too)
    await labelSome(ws, 10);
    const after = await call(ws, 'sync.now');
    expect(after).toMatchObject({ state: 'online', queued: 0, quarantined: 0, lastError: null });
    await expectExactlyOnce(srv, ws);
    expectAllAccepted(ws);

    // the second workstation comes back a day later and recovers the same way
    clock.advance(24 * 3600_000);
    await labelSome(other, 2);
    const back = await call(other, 'sync.now');
    expect(back.state).toBe('signed-out'); // the restored server never saw that sign-in
    await signIn(other, srv.url, REVIEWER2);
    expect(await call(other, 'sync.now')).toMatchObject({ state: 'online', queued: 0, quarantined: 0 });
    await expectExactlyOnce(srv, ws, other);
    expectAllAccepted(other);
    // a further round changes nothing
    await call(ws, 'sync.now');
    await call(other, 'sync.now');
    await expectExactlyOnce(srv, ws, other);
  }, 90_000);

  it('a workstation killed with kill -9 during its recovery push recovers on the next sync', async () => {
    const srv = await server({ dialect, tasks: 60, batchSize: 60 });
    let ws = openWorkstation({ resourcesDir });
    const { dataDir } = ws;
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    await labelSome(ws, 5);
    await call(ws, 'sync.now');
    const backup = await srv.backup();
    await labelSome(ws, 40);
    await call(ws, 'sync.now');
    ws.close();
    await srv.restoreFrom(backup);
    expect(await srv.labels()).toHaveLength(5);

    // the child syncs in batches of 3: kills land inside the recovery push
    for (const delay of [30, 90, 160]) await runAndKill(dataDir, resourcesDir, delay);
    ws = openWorkstation({ resourcesDir, dataDir });
    expect(await call(ws, 'sync.now')).toMatchObject({ state: 'online', queued: 0, quarantined: 0 });
    await expectExactlyOnce(srv, ws);
    expectAllAccepted(ws);
    expect(await srv.labels()).toHaveLength(45);
  }, 90_000);
});
