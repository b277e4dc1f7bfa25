// Remote wipe on an encrypted database: the file never holds text in the clear, so the proof that
// a wipe removed it reads every page and WAL frame decrypted with the key (free pages included).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { importTasks } from '../../../../server/db/admin';
import type { Task } from '../../../../shared/task';
import { countIn, decryptedBytes, rawBytes } from '../cipher-helpers';
import { call, rankingWork } from '../helpers';
import { cli } from '../../server/cli/helpers';
import { type RealServer, startRealServer } from '../sync/real-server';
import { openWorkstation, signIn } from '../sync/workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

const SENTINEL = 'PANGOLIN-2209';
const secretTask = (i: number): Task => ({
  id: `s${String(i).padStart(3, '0')}`,
  kind: 'ranking',
  prompt: `Confidential client prompt ${SENTINEL} number ${i}: ${'the merger terms are '.repeat(20)}`,
  responses: ['a', 'b', 'c'].map((id) => ({ id, text: `Answer ${id} ${SENTINEL} ${'details '.repeat(30)}` })),
});

describe('remote wipe with the database encrypted', () => {
  it('leaves no task text even in the decrypted pages (secure_delete and the scrub work under encryption)', async () => {
    const srv = await startRealServer({ tasks: 0, dialect: 'sqlite', batchSize: 20 });
    servers.push(srv);
    await importTasks(
      srv.db.db,
      'p1',
      Array.from({ length: 12 }, (_, i) => secretTask(i)),
    );
    const key = randomBytes(32).toString('hex');
    const ws = openWorkstation({ databaseKey: key });
    await signIn(ws, srv.url);
    await call(ws, 'sync.now');
    const leased = await call(ws, 'queue.list', { state: 'pending', limit: 100 });
    expect(leased).toHaveLength(12);
    for (const item of leased.slice(0, 3)) {
      const bundle = await call(ws, 'task.open', { taskId: item.taskId });
      expect(
        (await call(ws, 'label.submit', { taskId: item.taskId, work: rankingWork(bundle.presentedOrder) }))
          .ok,
      ).toBe(true);
    }
    expect(countIn(rawBytes(ws.dataDir), SENTINEL)).toBe(0);
    expect(countIn(decryptedBytes(ws.dataDir, key), SENTINEL)).toBeGreaterThan(10);

    const [device] = await srv.db.db.selectFrom('devices').select('id').execute();
    expect((await cli(srv.dbFile, 'device', 'wipe', device!.id)).code).toBe(0);
    expect((await call(ws, 'sync.now')).state).toBe('signed-out');
    expect(await ws.reportWipe()).toBe(true);

    const decrypted = decryptedBytes(ws.dataDir, key);
    expect(countIn(decrypted.subarray(0, 16), 'SQLite format 3')).toBe(1); // the key still reads the file
    expect(countIn(decrypted, SENTINEL)).toBe(0);
    expect(countIn(decrypted, 'merger terms')).toBe(0);
    expect((await call(ws, 'queue.summary')).total).toBe(0);
    expect((await call(ws, 'auth.status')).signInReason).toMatch(/administrator had this computer wiped/);
  });
});
