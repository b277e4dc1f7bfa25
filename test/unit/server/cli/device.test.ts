import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../../server/app';
import { hashToken } from '../../../../server/auth/guard';
import { wipeProof } from '../../../../server/auth/wipe';
import { openDatabase, type ServerDb } from '../../../../server/db/connect';
import { backends, cli } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

/** users rita and rob; rita's laptop and desktop, rob's laptop (revoked), with sessions */
async function seed(db: string): Promise<{ tokens: Record<string, string> }> {
  for (const name of ['rita', 'rob'])
    expect(
      (await cli(db, 'user', 'add', name, '--role', 'reviewer', '--password', 'long-enough-1')).code,
    ).toBe(0);
  const server = await openDatabase(db);
  const tokens: Record<string, string> = {};
  try {
    const users = await server.db.selectFrom('users').select(['id', 'username']).execute();
    const userId = (name: string) => users.find((u) => u.username === name)!.id;
    const devices = [
      // the last number: recovery_through (after a restore, the point the device had acknowledged)
      ['dev-rita-laptop', 'rita', 'Rita  laptop', 7, '2026-01-01T08:00:00.000Z', null, 9],
      ['dev-rita-desk', 'rita', 'Desk', 0, '2026-01-02T08:00:00.000Z', null, 0],
      ['dev-rob-laptop', 'rob', 'Rob laptop', 3, '2026-01-03T08:00:00.000Z', '2026-01-04T08:00:00.000Z', 3],
    ] as const;
    for (const [id, user, name, last, created, revoked, recovery] of devices)
      await server.db
        .insertInto('devices')
        .values({
          id,
          user_id: userId(user),
          name,
          last_mutation_id: last,
          created_at: created,
          revoked_at: revoked,
          recovery_through: recovery,
        } as never)
        .execute();
    // rita's laptop signed in twice (the later one counts); her desk never did
    const sessions = [
      ['dev-rita-laptop', 'rita', '2026-01-01T08:00:00.000Z'],
      ['dev-rita-laptop', 'rita', '2026-01-05T09:30:00.000Z'],
      ['dev-rob-laptop', 'rob', '2026-01-03T08:00:00.000Z'],
    ] as const;
    for (const [device, user, at] of sessions) {
      const token = randomBytes(24).toString('base64url');
      tokens[device] = token;
      await server.db
        .insertInto('sessions')
        .values({
          token_hash: hashToken(token),
          user_id: userId(user),
          device_id: device,
          created_at: at,
          expires_at: '2099-01-01T00:00:00.000Z',
          revoked_at: null,
        })
        .execute();
    }
  } finally {
    await server.close();
  }
  return { tokens };
}

describe.each(all)('server CLI on $name: devices', (backend) => {
  afterEach(() => backend.cleanup());

  it('lists devices newest first with user, name, last mutation, created, revoked and last sign-in', async () => {
    const db = await backend.fresh();
    expect(await cli(db, 'device', 'list')).toEqual({ code: 0, stdout: 'no devices\n', stderr: '' });
    await seed(db);
    const list = await cli(db, 'device', 'list');
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/ {2,}/))).toEqual([
      ['ID', 'USER', 'NAME', 'LAST MUTATION', 'CREATED', 'REVOKED', 'LAST SIGN-IN', 'RECOVERY', 'WIPE'],
      [
        'dev-rob-laptop',
        'rob',
        'Rob laptop',
        '3',
        '2026-01-03T08:00:00.000Z',
        '2026-01-04T08:00:00.000Z',
        '2026-01-03T08:00:00.000Z',
        're-sent',
        '-',
      ],
      ['dev-rita-desk', 'rita', 'Desk', '0', '2026-01-02T08:00:00.000Z', '-', '-', '-', '-'],
      // the name's run of spaces is collapsed, so every device stays on one line
      [
        'dev-rita-laptop',
        'rita',
        'Rita laptop',
        '7',
        '2026-01-01T08:00:00.000Z',
        '-',
        '2026-01-05T09:30:00.000Z',
        'pending (9)',
        '-',
      ],
    ]);
    // columns line up
    const at = lines[0]!.indexOf('CREATED');
    for (const line of lines) expect(line.slice(at, at + 4)).toMatch(/^(CREA|2026)$/);

    const rita = await cli(db, 'device', 'list', '--user', 'rita');
    expect(
      rita.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/ +/)[0]),
    ).toEqual(['dev-rita-desk', 'dev-rita-laptop']);
    expect(
      await cli(db, 'user', 'add', 'nia', '--role', 'reviewer', '--password', 'long-enough-1'),
    ).toMatchObject({
      code: 0,
    });
    expect((await cli(db, 'device', 'list', '--user', 'nia')).stdout).toBe('no devices for nia\n');
    const ghost = await cli(db, 'device', 'list', '--user', 'ghost');
    expect(ghost).toMatchObject({ code: 1, stdout: '' });
    expect(ghost.stderr).toMatch(/^error: --user: no user "ghost"$/m);
  });

  it('revokes a device: its session is refused at the next request, other devices go on', async () => {
    const db = await backend.fresh();
    const { tokens } = await seed(db);
    const server: ServerDb = await openDatabase(db);
    const app = await buildServer({ db: server });
    try {
      const me = async (device: string) =>
        app.inject({
          method: 'GET',
          url: '/v1/auth/me',
          headers: { authorization: `Bearer ${tokens[device]}` },
        });
      expect((await me('dev-rita-laptop')).statusCode).toBe(200);

      const revoke = await cli(db, 'device', 'revoke', 'dev-rita-laptop');
      expect(revoke).toEqual({
        code: 0,
        stdout:
          'revoked device dev-rita-laptop (Rita  laptop, last signed in by rita): ' +
          'its sessions are refused at their next request\n',
        stderr: '',
      });
      const refused = await me('dev-rita-laptop');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('device-revoked');

      const row = await server.db.selectFrom('devices').select(['id', 'revoked_at']).orderBy('id').execute();
      expect(row.map((d) => [d.id, d.revoked_at !== null])).toEqual([
        ['dev-rita-desk', false],
        ['dev-rita-laptop', true],
        ['dev-rob-laptop', true],
      ]);
      const first = row.find((d) => d.id === 'dev-rita-laptop')!.revoked_at;

      // again: says so, and keeps the first revocation time
      const again = await cli(db, 'device', 'revoke', 'dev-rita-laptop');
      expect(again).toEqual({
        code: 0,
        stdout: `device dev-rita-laptop was already revoked at ${first}\n`,
        stderr: '',
      });
      const after = await server.db
        .selectFrom('devices')
        .select('revoked_at')
        .where('id', '=', 'dev-rita-laptop')
        .executeTakeFirstOrThrow();
      expect(after.revoked_at).toBe(first);
    } finally {
      await app.close();
      await server.close();
    }
  });

  it('device wipe: revokes the device, orders the wipe (audited), and the next request of any of its sessions carries the order with a proof of the device secret', async () => {
    const db = await backend.fresh();
    const { tokens } = await seed(db);
    const secret = 'rita-laptop-secret-'.padEnd(40, 'x');
    const server: ServerDb = await openDatabase(db);
    await server.db
      .updateTable('devices')
      .set({ secret_hash: hashToken(secret) })
      .where('id', '=', 'dev-rita-laptop')
      .execute();
    const app = await buildServer({ db: server });
    try {
      const wipe = await cli(db, 'device', 'wipe', 'dev-rita-laptop');
      expect(wipe).toEqual({
        code: 0,
        stdout:
          'wipe ordered for device dev-rita-laptop (Rita  laptop, last signed in by rita): revoked now; ' +
          'at its next contact it deletes its local data and reports it (see: device list)\n',
        stderr: '',
      });
      const order = await server.db.selectFrom('device_wipes').selectAll().executeTakeFirstOrThrow();
      expect(order).toMatchObject({ device_id: 'dev-rita-laptop', wiped_at: null, unsent: null });
      // ordered again: the open order stays the one order
      expect((await cli(db, 'device', 'wipe', 'dev-rita-laptop')).code).toBe(0);
      expect(await server.db.selectFrom('device_wipes').select('id').execute()).toHaveLength(1);

      const refused = await app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: { authorization: `Bearer ${tokens['dev-rita-laptop']}` },
      });
      expect(refused.statusCode).toBe(401);
      const error = refused.json().error;
      expect(error.code).toBe('device-wipe');
      expect(error.wipe).toEqual({
        orderId: order.id,
        deviceId: 'dev-rita-laptop',
        proof: wipeProof(hashToken(secret), 'dev-rita-laptop', order.id),
      });
      // a device without a secret (registered before secrets) cannot check an order: plain refusal
      const rob = await app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: { authorization: `Bearer ${tokens['dev-rob-laptop']}` },
      });
      expect(rob.json().error.code).toBe('device-revoked');

      // the report needs the device secret; a wrong one and a wrong order answer alike
      const report = (deviceSecret: string, orderId = order.id) =>
        app.inject({
          method: 'POST',
          url: '/v1/sync/wiped',
          payload: {
            deviceId: 'dev-rita-laptop',
            deviceSecret,
            orderId,
            unsent: 2,
            wipedAt: '2026-02-01T00:00:00.000Z',
          },
        });
      expect((await report('y'.repeat(40))).statusCode).toBe(404);
      expect((await report(secret, 'other')).statusCode).toBe(404);
      expect((await report(secret)).statusCode).toBe(200);
      expect((await report(secret)).statusCode).toBe(404); // closed
      const audit = await server.db
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'after'])
        .where('action', 'like', 'device.wipe%')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.action, a.target_id])).toEqual([
        ['device.wipe', 'dev-rita-laptop'],
        ['device.wiped', 'dev-rita-laptop'],
      ]);
      expect(JSON.parse(audit[1]!.after!)).toMatchObject({ unsentDeleted: 2 });
      const list = await cli(db, 'device', 'list', '--user', 'rita');
      expect(list.stdout).toMatch(/dev-rita-laptop .* wiped \d{4}-/);
      expect(list.stdout).toMatch(/dev-rita-desk .* -\n/);
    } finally {
      await app.close();
      await server.close();
    }
  });

  it('user revoke --wipe: revokes the user and orders every device of theirs wiped, in one step', async () => {
    const db = await backend.fresh();
    await seed(db);
    const run = await cli(db, 'user', 'revoke', 'rita', '--wipe');
    expect(run).toEqual({
      code: 0,
      stdout:
        'revoked rita: their sessions end at their next request\n' +
        "wipe ordered for rita's devices: each deletes their data at its next contact (see: device list)\n",
      stderr: '',
    });
    const server = await openDatabase(db);
    try {
      const orders = await server.db
        .selectFrom('device_wipes')
        .select('device_id')
        .orderBy('device_id')
        .execute();
      expect(orders.map((o) => o.device_id)).toEqual(['dev-rita-desk', 'dev-rita-laptop']);
      const devices = await server.db
        .selectFrom('devices')
        .select(['id', 'revoked_at'])
        .orderBy('id')
        .execute();
      expect(devices.every((d) => d.revoked_at !== null)).toBe(true);
      const actions = await server.db.selectFrom('audit_log').select('action').orderBy('id').execute();
      expect(actions.map((a) => a.action)).toEqual([
        'user.add',
        'user.add',
        'user.revoke',
        'device.wipe',
        'device.wipe',
      ]);
    } finally {
      await server.close();
    }
    expect((await cli(db, 'device', 'wipe', 'nope')).stderr).toMatch(
      /^error: no device "nope" \(see: device list\)$/m,
    );
  });

  it('names what is wrong: an unknown device exits 1, a missing or extra argument exits 2', async () => {
    const db = await backend.fresh();
    const cases: [string[], number, RegExp][] = [
      [['device', 'revoke', 'nope'], 1, /^error: no device "nope" \(see: device list\)$/m],
      [['device', 'revoke'], 2, /^error: missing DEVICE_ID$/m],
      [['device', 'revoke', 'a', 'b'], 2, /unexpected argument "b"/],
      [['device', 'list', 'extra'], 2, /unexpected argument "extra"/],
      [['device', 'list', '--user'], 2, /--user/],
      [['device', 'forget', 'x'], 2, /unknown command "device forget"/],
    ];
    for (const [args, code, message] of cases) {
      const run = await cli(db, ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }
  });

  it('prints help for both commands', async () => {
    const db = await backend.fresh();
    const main = await cli(db, '--help');
    for (const command of ['device list', 'device revoke']) {
      expect(main.stdout).toContain(command);
      const help = await cli(db, ...command.split(' '), '--help');
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toContain(`Usage: ${command}`);
    }
  });
});
