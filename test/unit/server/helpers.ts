import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach } from 'vitest';
import type { Label } from '../../../shared/label';
import type { LoginResponse } from '../../../shared/identity';
import type { Mutation } from '../../../shared/sync';
import type { Task } from '../../../shared/task';
import { buildServer, type BuildServerOptions } from '../../../server/app';
import { addUser, createPod, createProject, importTasks } from '../../../server/db/admin';
import { hashPassword } from '../../../server/auth/password';
import type { ServerDb } from '../../../server/db/connect';
import { useFreshDb } from './each-db';
import { PushBodies, testDeviceSecret } from '../../fixtures/push';

export { PushBodies, testDeviceSecret } from '../../fixtures/push';

/** A clock the test moves by hand. */
export class TestClock {
  now = Date.parse('2026-01-05T09:00:00.000Z');
  read = () => new Date(this.now);
  advance(ms: number) {
    this.now += ms;
  }
}

export const HOUR = 3600_000;
export const PASSWORD = 'correct horse battery';

/** PASSWORD's real scrypt hash, made once per test file (every fixture user shares the password) */
let hashed: Promise<string> | null = null;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));
export const USERS = {
  trainee: { username: 'tina', role: 'trainee', podId: 'pod-a' },
  reviewer: { username: 'rita', role: 'reviewer', podId: 'pod-a' },
  reviewer2: { username: 'rob', role: 'reviewer', podId: 'pod-b' },
  lead: { username: 'lena', role: 'lead', podId: 'pod-a' },
  admin: { username: 'ada', role: 'admin', podId: null },
} as const;
export type UserKey = keyof typeof USERS;

export function makeTask(
  id: string,
  kind: 'ranking' | 'pairwise' = 'pairwise',
  meta?: Record<string, unknown>,
): Task {
  const responses =
    kind === 'pairwise'
      ? [
          { id: 'a', text: 'Answer A' },
          { id: 'b', text: 'Answer B' },
        ]
      : [
          { id: 'a', text: 'Answer A' },
          { id: 'b', text: 'Answer B' },
          { id: 'c', text: 'Answer C' },
        ];
  return { id, kind, prompt: `Prompt for ${id}`, responses, ...(meta ? { meta } : {}) };
}

export { makeLabel } from '../../fixtures/labels';

export const submit = (id: number, label: Label, leaseToken: number): Mutation => ({
  id,
  type: 'label.submit',
  taskId: label.taskId,
  leaseToken,
  label,
});

export type Session = LoginResponse & { auth: { authorization: string } };

export type ServerEnv = {
  sdb: ServerDb & { target: string };
  app: FastifyInstance;
  clock: TestClock;
  userIds: Record<UserKey, string>;
  login(who: UserKey, deviceId?: string): Promise<Session>;
  /** inject with JSON body and the session's bearer token */
  call(
    session: Session | null,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/**
 * Per test: a fresh database with pods a/b, the users above, a production project "prod" (batch 5,
 * 72 h leases) with tasks t1..t12 and a training project "train" (production false) with tasks x1..x3.
 */
export function useServer(
  dialect: 'sqlite' | 'postgres',
  options: Partial<BuildServerOptions> = {},
  seed: { batchSize?: number; tasks?: number } = {},
): () => ServerEnv {
  const getDb = useFreshDb(dialect);
  let env: ServerEnv | null = null;
  beforeEach(async () => {
    const sdb = getDb();
    const clock = new TestClock();
    await createPod(sdb.db, { id: 'pod-a' });
    await createPod(sdb.db, { id: 'pod-b' });
    const userIds = {} as Record<UserKey, string>;
    for (const [key, u] of Object.entries(USERS))
      userIds[key as UserKey] = await addUser(sdb.db, {
        ...u,
        password: PASSWORD,
        passwordHash: await passwordHash(),
      });
    await createProject(sdb.db, { id: 'prod', batchSize: seed.batchSize ?? 5, leaseHours: 72 });
    await createProject(sdb.db, { id: 'train', production: false });
    const n = seed.tasks ?? 12;
    await importTasks(
      sdb.db,
      'prod',
      Array.from({ length: n }, (_, i) => makeTask(`t${i + 1}`, 'pairwise', { gold: 'a', secret: 's' })),
    );
    await importTasks(sdb.db, 'train', [makeTask('x1'), makeTask('x2'), makeTask('x3')]);
    const app = await buildServer({ db: sdb, clock: clock.read, ...options });
    const pushes = new PushBodies();
    const call: ServerEnv['call'] = async (session, method, url, rawBody) => {
      const body = url === '/v1/sync/push' ? pushes.complete(rawBody) : rawBody;
      const res = await app.inject({
        method,
        url,
        headers: session ? session.auth : {},
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null };
    };
    const login = async (who: UserKey, deviceId = `device-${USERS[who].username}-1`) => {
      const res = await call(null, 'POST', '/v1/auth/login', {
        username: USERS[who].username,
        password: PASSWORD,
        deviceId,
        deviceSecret: testDeviceSecret(deviceId),
      });
      if (res.status !== 200) throw new Error(`login ${who}: ${res.status} ${JSON.stringify(res.json)}`);
      const r = res.json as LoginResponse;
      return { ...r, auth: { authorization: `Bearer ${r.token}` } };
    };
    env = { sdb, app, clock, userIds, login, call };
  });
  afterEach(async () => {
    await env?.app.close();
    env = null;
  });
  return () => {
    if (!env) throw new Error('no server: call inside a test');
    return env;
  };
}

/** Leases for `session` and returns its assignment changes (task id -> lease token). */
export async function leaseAndPull(env: ServerEnv, s: Session, projectId = 'prod') {
  const lease = await env.call(s, 'POST', '/v1/sync/lease', { projectId });
  if (lease.status !== 200) throw new Error(`lease: ${lease.status} ${JSON.stringify(lease.json)}`);
  const pull = await env.call(s, 'POST', '/v1/sync/pull', {
    deviceId: s.deviceId,
    cursor: null,
    epoch: null,
    limit: 2000,
  });
  const tokens = new Map<string, number>();
  for (const c of pull.json.changes) if (c.type === 'assignment') tokens.set(c.task.id, c.leaseToken);
  return { lease: lease.json as { leased: number; open: number }, tokens, pull: pull.json };
}

/** Labels stored for a task id / in total, straight from the database. */
export async function countLabels(sdb: ServerDb, where: { id?: string } = {}) {
  let q = sdb.db.selectFrom('labels').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.id) q = q.where('id', '=', where.id);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
