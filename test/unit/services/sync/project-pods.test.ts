import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { createPod, createProject, importTasks } from '../../../../server/db/admin';
import { assignProject } from '../../../../server/db/project-assign';
import { call } from '../helpers';
import { REVIEWER, REVIEWER2, type RealServer, serverTask, startRealServer } from './real-server';
import { openWorkstation, signIn } from './workstation';

/**
 * Projects scoped to pods, end to end (docs/server.md, "Projects and pods"): the real server over
 * HTTP and real workstation databases. A reviewer of pod B syncs as often as they like and never
 * holds a task of pod A's projects, checked in the bytes of their database file.
 */
const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const server = servers.pop()!;
    await server.stop();
    server.remove();
  }
});

/** every byte of the workstation's database and its WAL, as text */
const fileText = (ws: { dataDir: string }) =>
  ['', '-wal']
    .map((suffix) => path.join(ws.dataDir, DB_FILE + suffix))
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file).toString('latin1'))
    .join('');

describe.each(['sqlite', 'postgres'] as const)(
  'projects scoped to pods, workstation to server (%s)',
  (dialect) => {
    it("a reviewer of pod B never receives a task of pod A's project; taking a project away empties it from the queue", async () => {
      const srv = await startRealServer({ tasks: 3, batchSize: 10, dialect });
      servers.push(srv);
      const db = srv.db.db;
      for (const pod of ['pod-a', 'pod-b']) await createPod(db, { id: pod });
      await db
        .updateTable('users')
        .set({ pod_id: 'pod-a' })
        .where('username', '=', REVIEWER.username)
        .execute();
      await db
        .updateTable('users')
        .set({ pod_id: 'pod-b' })
        .where('username', '=', REVIEWER2.username)
        .execute();
      // p1 (the fixture's project, created first) and pa belong to pod A, pb to pod B
      await createProject(db, { id: 'pa', batchSize: 10, podScoped: true });
      await createProject(db, { id: 'pb', batchSize: 10, podScoped: true });
      const secret = (i: number) => ({ ...serverTask(`pa-${i}`), prompt: `POD-A-ONLY prompt ${i}` });
      await importTasks(db, 'pa', [1, 2, 3].map(secret));
      await importTasks(
        db,
        'pb',
        [1, 2, 3].map((i) => serverTask(`pb-${i}`)),
      );
      await assignProject(db, 'p1', { pod: 'pod-a' });
      await assignProject(db, 'pa', { pod: 'pod-a' });
      await assignProject(db, 'pb', { pod: 'pod-b' });

      const rob = openWorkstation();
      await signIn(rob, srv.url, REVIEWER2);
      for (let i = 0; i < 3; i++) await call(rob, 'sync.now');
      const robs = await call(rob, 'queue.list', { state: 'pending', limit: 500 });
      expect(robs.map((t) => t.taskId).sort()).toEqual(['pb-1', 'pb-2', 'pb-3']);
      const robFile = fileText(rob);
      expect(robFile).not.toContain('POD-A-ONLY');
      expect(robFile).not.toContain('Server prompt t0001');

      // rita of pod A holds p1's tasks; the operator takes p1 from pod A: her next sync removes them
      const rita = openWorkstation();
      await signIn(rita, srv.url, REVIEWER);
      await call(rita, 'sync.now');
      const before = (await call(rita, 'queue.list', { state: 'pending', limit: 500 })).map((t) => t.taskId);
      expect(before.sort()).toEqual(['t0001', 't0002', 't0003']);
      await assignProject(db, 'p1', { pod: 'pod-a', remove: true });
      await call(rita, 'sync.now');
      const after = (await call(rita, 'queue.list', { state: 'pending', limit: 500 })).map((t) => t.taskId);
      expect(after.filter((id) => id.startsWith('t'))).toEqual([]);
      // what she leases now is pod A's other project
      expect(after.sort()).toEqual(['pa-1', 'pa-2', 'pa-3']);
    });
  },
);
