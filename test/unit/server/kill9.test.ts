import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../../shared/sync';
import { addUser, createProject, importTasks } from '../../../server/db/admin';
import { openDatabase } from '../../../server/db/connect';
import { describeEachDb, freshTarget } from './each-db';
import { makeLabel, makeTask, PASSWORD, PushBodies, submit, testDeviceSecret } from './helpers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Starts the real server process and resolves with its base URL once it prints its ready line. */
function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--db', db], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before ready: ${err}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describeEachDb('kill -9 of the server mid-push', (dialect) => {
  it('keeps every label exactly once across five crashes and retries', { timeout: 120_000 }, async () => {
    const target = await freshTarget(dialect);
    const LABELS = 150;
    const BATCH = 15;
    try {
      const seed = await openDatabase(target.target);
      await addUser(seed.db, { username: 'rita', password: PASSWORD, role: 'reviewer' });
      await createProject(seed.db, { id: 'prod', batchSize: LABELS });
      await importTasks(
        seed.db,
        'prod',
        Array.from({ length: LABELS }, (_, i) => makeTask(`k${i}`)),
      );
      await seed.close();

      let server = await startServer(target.target);
      const post = async (url: string, body: unknown, token?: string) => {
        const res = await fetch(`${server.url}${url}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
      };
      const deviceId = 'device-kill-9';
      const login = await post('/v1/auth/login', {
        username: 'rita',
        password: PASSWORD,
        deviceId,
        deviceSecret: testDeviceSecret(deviceId),
      });
      const token = login.json.token as string;
      await post('/v1/sync/lease', { projectId: 'prod' }, token);
      const pulled = await post('/v1/sync/pull', { deviceId, cursor: null, epoch: null, limit: 2000 }, token);
      const tokens = new Map<string, number>(
        pulled.json.changes.map((c: { task: { id: string }; leaseToken: number }) => [
          c.task.id,
          c.leaseToken,
        ]),
      );
      const mutations: Mutation[] = [...tokens.keys()].map((taskId, i) =>
        submit(i + 1, makeLabel(taskId, {}, 3000), tokens.get(taskId)!),
      );

      // the client: push unacknowledged mutations in fixed batches; on a failure, retry the same batch
      let acked = 0;
      let crashes = 0;
      const bodies = new PushBodies();
      while (acked < LABELS) {
        const batch = mutations.slice(acked, acked + BATCH);
        // settle at once: a push cut off by the kill must not surface as an unhandled rejection
        const pushing = post('/v1/sync/push', bodies.body(deviceId, batch), token).catch((err: Error) => err);
        if (crashes < 5 && acked >= crashes * 2 * BATCH) {
          // kill while the push is in flight (it may or may not have committed), then restart
          await new Promise((r) => setTimeout(r, 3 * crashes));
          await killed(server.child);
          crashes += 1;
          await pushing;
          server = await startServer(target.target);
          continue;
        }
        const res = await pushing;
        if (res instanceof Error) throw res;
        expect(res.status).toBe(200);
        acked = (res.json as PushResponse).lastMutationId;
      }
      expect(crashes).toBe(5);
      await killed(server.child);

      const check = await openDatabase(target.target);
      const rows = await check.db.selectFrom('labels').select('id').execute();
      await check.close();
      const ids = rows.map((r) => r.id);
      expect(ids.length).toBe(LABELS);
      expect(new Set(ids).size).toBe(LABELS);
      expect(new Set(ids)).toEqual(
        new Set(mutations.map((m) => (m.type === 'label.submit' ? m.label.id : ''))),
      );
    } finally {
      await target.drop();
    }
  });
});
