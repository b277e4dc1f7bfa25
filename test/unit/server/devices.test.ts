import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { LoginResponse } from '../../../shared/identity';
import { revokeDevice } from '../../../server/db/admin';
import { SESSIONS_PER_USER } from '../../../server/auth/devices';
import { NEW_DEVICES_PER_HOUR } from '../../../server/auth/routes';
import { describeEachDb } from './each-db';
import {
  countLabels,
  leaseAndPull,
  makeLabel,
  PASSWORD,
  PushBodies,
  submit,
  testDeviceSecret,
  useServer,
  USERS,
  type ServerEnv,
  type Session,
  type UserKey,
} from './helpers';

/** a sign-in with an explicit device id and secret (what a copied or hostile install sends) */
async function loginAs(e: ServerEnv, who: UserKey, deviceId: string, deviceSecret: string) {
  const res = await e.call(null, 'POST', '/v1/auth/login', {
    username: USERS[who].username,
    password: PASSWORD,
    deviceId,
    deviceSecret,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const r = LoginResponse.parse(res.json);
  return { ...r, auth: { authorization: `Bearer ${r.token}` } } as Session;
}

describeEachDb('device identity', (dialect) => {
  const env = useServer(dialect, { loginRateLimit: { max: 1000, windowMs: 60_000 } });

  it('never hands a device id to another user: they get a new id, and cannot push as the owner', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    // rob saw rita's device id in an export and signs in with it
    const rob = await loginAs(e, 'reviewer2', rita.deviceId, testDeviceSecret('rob-laptop'));
    expect(rob.deviceId).not.toBe(rita.deviceId);
    const robLeases = await leaseAndPull(e, rob);
    const bodies = new PushBodies();
    // pushing under rita's id with rob's session is refused outright
    const shadow = await e.call(
      rob,
      'POST',
      '/v1/sync/push',
      bodies.body(rita.deviceId, [submit(1, makeLabel('t6'), 1)]),
    );
    expect(shadow.status).toBe(403);
    expect(shadow.json.error.code).toBe('device-mismatch');
    // both push their mutation 1: each is stored, under its own device
    const r1 = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(1, makeLabel('t1'), tokens.get('t1')!)],
    });
    const t6 = robLeases.tokens.keys().next().value!;
    const r2 = await e.call(rob, 'POST', '/v1/sync/push', {
      deviceId: rob.deviceId,
      mutations: [submit(1, makeLabel(t6), robLeases.tokens.get(t6)!)],
    });
    expect([r1.json.outcomes[0].status, r2.json.outcomes[0].status]).toEqual(['accepted', 'accepted']);
    expect(await countLabels(e.sdb)).toBe(2);
    const devices = await e.sdb.db.selectFrom('devices').select(['id', 'user_id']).execute();
    expect(devices.find((d) => d.id === rita.deviceId)?.user_id).toBe(e.userIds.reviewer);
    // rita's session still works on her device
    expect((await e.call(rita, 'GET', '/v1/auth/me')).status).toBe(200);
  });

  it('a known device id with another secret (a copied install) gets a new id; the right secret keeps it', async () => {
    const e = env();
    const first = await loginAs(e, 'reviewer', 'device-laptop-0001', testDeviceSecret('a'));
    expect(first.deviceId).toBe('device-laptop-0001');
    const again = await loginAs(e, 'reviewer', 'device-laptop-0001', testDeviceSecret('a'));
    expect(again.deviceId).toBe('device-laptop-0001');
    const copy = await loginAs(e, 'reviewer', 'device-laptop-0001', testDeviceSecret('b'));
    expect(copy.deviceId).not.toBe('device-laptop-0001');
    // a device registered before secrets existed is bound to its owner's first secret
    await e.sdb.db
      .updateTable('devices')
      .set({ secret_hash: null })
      .where('id', '=', 'device-laptop-0001')
      .execute();
    expect((await loginAs(e, 'reviewer', 'device-laptop-0001', testDeviceSecret('c'))).deviceId).toBe(
      'device-laptop-0001',
    );
    expect((await loginAs(e, 'reviewer', 'device-laptop-0001', testDeviceSecret('a'))).deviceId).not.toBe(
      'device-laptop-0001',
    );
  });

  it('a revoked device is refused to its own install only', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    await revokeDevice(e.sdb.db, rita.deviceId);
    const own = await e.call(null, 'POST', '/v1/auth/login', {
      username: 'rita',
      password: PASSWORD,
      deviceId: rita.deviceId,
      deviceSecret: testDeviceSecret(rita.deviceId),
    });
    expect(own.status).toBe(401);
    expect(own.json.error.code).toBe('device-revoked');
    const other = await loginAs(e, 'reviewer2', rita.deviceId, testDeviceSecret('x'));
    expect(other.deviceId).not.toBe(rita.deviceId);
  });

  it('signing in again ends the older session of the device, and a user keeps a bounded number', async () => {
    const e = env();
    const first = await e.login('reviewer');
    const second = await e.login('reviewer');
    expect((await e.call(first, 'GET', '/v1/auth/me')).status).toBe(401);
    expect((await e.call(second, 'GET', '/v1/auth/me')).status).toBe(200);
    const sessions: Session[] = [];
    for (let i = 0; i < SESSIONS_PER_USER + 2; i++) {
      e.clock.advance(1000);
      sessions.push(await e.login('reviewer', `device-many-${i}`));
    }
    const live = [];
    for (const s of sessions) live.push((await e.call(s, 'GET', '/v1/auth/me')).status === 200);
    expect(live.filter(Boolean)).toHaveLength(SESSIONS_PER_USER);
    expect(live.slice(-SESSIONS_PER_USER).every(Boolean)).toBe(true);
  });

  it('a new device id on request (diverged history): a fresh session on it, the old one stays', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const res = await e.call(rita, 'POST', '/v1/auth/device', { deviceSecret: testDeviceSecret('fresh') });
    expect(res.status).toBe(200);
    const next = LoginResponse.parse(res.json);
    expect(next.deviceId).not.toBe(rita.deviceId);
    expect((await e.call(rita, 'GET', '/v1/auth/me')).status).toBe(200);
    const session = { ...next, auth: { authorization: `Bearer ${next.token}` } } as Session;
    const pull = await e.call(session, 'POST', '/v1/sync/pull', {
      deviceId: next.deviceId,
      cursor: null,
      epoch: null,
    });
    expect(pull.status).toBe(200);
    expect(
      (await e.call(null, 'POST', '/v1/auth/device', { deviceSecret: testDeviceSecret('x') })).status,
    ).toBe(401);
    // a client asking again and again is stopped: device rows do not pile up (one asked above)
    const asks: number[] = [];
    for (let i = 0; i < NEW_DEVICES_PER_HOUR; i++) {
      const body = { deviceSecret: testDeviceSecret(`n${i}`) };
      asks.push((await e.call(rita, 'POST', '/v1/auth/device', body)).status);
    }
    expect(asks.slice(0, NEW_DEVICES_PER_HOUR - 1).every((status) => status === 200)).toBe(true);
    expect(asks.at(-1)).toBe(429);
  });

  it('a sign-in body of more than a few KB is refused before it is parsed', async () => {
    const e = env();
    const res = await e.call(null, 'POST', '/v1/auth/login', {
      username: 'rita',
      password: PASSWORD,
      deviceId: 'device-big-0001',
      deviceSecret: testDeviceSecret('big'),
      deviceName: 'x'.repeat(20_000),
    });
    expect(res.status).toBe(413);
  });
});

describeEachDb('device history on push', (dialect) => {
  const env = useServer(dialect);

  it('two installs pushing under one device id: the second is refused as diverged, nothing of it applied', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const a = new PushBodies();
    const b = new PushBodies();
    const firstBody = a.body(rita.deviceId, [submit(1, makeLabel('t1'), tokens.get('t1')!)]);
    const first = await e.call(rita, 'POST', '/v1/sync/push', firstBody);
    expect(first.status).toBe(200);
    // the copy's mutation 1 is other work: before this change it was answered "already applied"
    const copy = await e.call(
      rita,
      'POST',
      '/v1/sync/push',
      b.body(rita.deviceId, [submit(1, makeLabel('t2'), tokens.get('t2')!)]),
    );
    expect(copy.status).toBe(409);
    expect(copy.json.error.code).toBe('device-diverged');
    expect(copy.json.error.history.id).toBe(1);
    expect(await countLabels(e.sdb)).toBe(1);
    // the same push again (its answer was lost) is recognised as the same history: a no-op
    const replay = await e.call(rita, 'POST', '/v1/sync/push', firstBody);
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual({ lastMutationId: 1, outcomes: [] });
    // a retry that stops short of what the server holds cannot be a retry of one batch
    const both = a.body(rita.deviceId, [
      submit(2, makeLabel('t3'), tokens.get('t3')!),
      submit(3, makeLabel('t4'), tokens.get('t4')!),
    ]);
    expect((await e.call(rita, 'POST', '/v1/sync/push', both)).status).toBe(200);
    const short = { ...both, mutations: both.mutations.slice(0, 1), digests: both.digests.slice(0, 1) };
    const res = await e.call(rita, 'POST', '/v1/sync/push', short);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('device-diverged');
    expect(await countLabels(e.sdb)).toBe(3);
  });

  it('work on a lease the server has no record of is kept only with the proof of that lease', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const rob = await e.login('reviewer2');
    const { pull } = await leaseAndPull(e, rita);
    const assignment = pull.changes.find((c: { type: string }) => c.type === 'assignment');
    const taskId = assignment.task.id as string;
    expect(assignment.leaseProof).toMatch(/^[\w-]{32}$/);
    // the lease is forgotten, as after a restore from a backup taken before it was given
    await e.sdb.db.deleteFrom('leases').where('task_id', '=', taskId).execute();
    await e.sdb.db
      .updateTable('tasks')
      .set({ lease_counter: 0, occupancy: 0 })
      .where('id', '=', taskId)
      .execute();
    const on = (s: Session, id: number, proof: string | undefined, token = assignment.leaseToken as number) =>
      e.call(s, 'POST', '/v1/sync/push', {
        deviceId: s.deviceId,
        mutations: [{ ...submit(id, makeLabel(taskId), token), ...(proof ? { leaseProof: proof } : {}) }],
      });
    // rob never held it: a made-up token, rita's proof, or a forged one: all refused
    const attempts = [
      [undefined, 7],
      [assignment.leaseProof, assignment.leaseToken],
      ['A'.repeat(32), assignment.leaseToken],
    ] as const;
    for (const [i, [proof, token]] of attempts.entries()) {
      const res = await on(rob, i + 1, proof, token);
      expect(res.json.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'not-assigned' });
    }
    // rita's work with her proof is kept, flagged, and the token is not given out again
    const kept = await on(rita, 1, assignment.leaseProof);
    expect(kept.json.outcomes[0]).toMatchObject({ status: 'accepted', flagged: 'lease-lost' });
    const task = await e.sdb.db
      .selectFrom('tasks')
      .select('lease_counter')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(task.lease_counter).toBe(assignment.leaseToken);
  });

  it('ids and tokens beyond what the database stores are a 400 naming the field, not a server error', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const huge = 2 ** 31;
    const bodies = [
      {
        deviceId: rita.deviceId,
        base: { id: huge, digest: '' },
        mutations: [submit(huge + 1, makeLabel('t1'), 1)],
        digests: ['x'],
      },
      new PushBodies().body(rita.deviceId, [submit(1, makeLabel('t1'), huge)]),
    ];
    for (const body of bodies) {
      const res = await e.call(rita, 'POST', '/v1/sync/push', body);
      expect(res.status).toBe(400);
      expect(res.json.error.issues.map((i: { path: string }) => i.path).join(' ')).toMatch(
        /base\.id|mutations\.0\.(id|leaseToken)/,
      );
    }
  });

  it('a device that holds more than the server (restored) is told the server point', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const bodies = new PushBodies();
    const muts = ['t1', 't2', 't3'].map((t, i) => submit(i + 1, makeLabel(t), tokens.get(t)!));
    expect(
      (await e.call(rita, 'POST', '/v1/sync/push', bodies.body(rita.deviceId, muts.slice(0, 1)))).status,
    ).toBe(200);
    const ahead = bodies.body(rita.deviceId, muts.slice(2));
    const res = await e.call(rita, 'POST', '/v1/sync/push', ahead);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('server-behind');
    expect(res.json.error.history.id).toBe(1);
    const device = await e.sdb.db
      .selectFrom('devices')
      .select('recovery_through')
      .where('id', '=', rita.deviceId)
      .executeTakeFirstOrThrow();
    expect(device.recovery_through).toBe(2);
  });
});

describeEachDb('refused pushes in the server log', (dialect) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const env = useServer(dialect, { logger: { level: 'warn', stream } });

  it('a restore, a copied install and any other whole-push refusal are logged with device and user', async () => {
    const e = env();
    lines.length = 0;
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const bodies = new PushBodies();
    const muts = ['t1', 't2', 't3'].map((t, i) => submit(i + 1, makeLabel(t), tokens.get(t)!));
    await e.call(rita, 'POST', '/v1/sync/push', bodies.body(rita.deviceId, muts.slice(0, 1)));
    await e.call(rita, 'POST', '/v1/sync/push', bodies.body(rita.deviceId, muts.slice(2)));
    await e.call(rita, 'POST', '/v1/sync/push', new PushBodies().body(rita.deviceId, [muts[1]!]));
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; deviceId: string; code: string });
    expect(logged.map((l) => l.code)).toEqual(['server-behind', 'device-diverged']);
    expect(logged[0]!.msg).toMatch(
      /holds acknowledgements up to mutation 2, the server only up to 1: restored/,
    );
    expect(logged.every((l) => l.deviceId === rita.deviceId && /\(rita\)/.test(l.msg))).toBe(true);
  });
});
