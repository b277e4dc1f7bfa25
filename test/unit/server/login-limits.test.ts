import { describe, expect, it } from 'vitest';
import { auditPage } from '../../../server/audit/audit';
import { revokeDevice } from '../../../server/db/admin';
import { describeEachDb } from './each-db';
import { PASSWORD, USERS, testDeviceSecret, useServer } from './helpers';

/** everything the server logs, one JSON line each */
const logLines: string[] = [];
const logger = { level: 'warn', stream: { write: (line: string) => void logLines.push(line) } };

describeEachDb('sign-in limits, the failed sign-in log line, sign-ins in the audit log', (dialect) => {
  const env = useServer(dialect, {
    logger,
    loginRateLimit: {
      max: 100,
      windowMs: 60_000,
      perAddress: { max: 3, windowMs: 15 * 60_000 },
      global: { max: 5, windowMs: 60_000 },
    },
  });

  const attempt = (username: string, password: string, remoteAddress = '10.0.0.1') =>
    env().app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress,
      payload: {
        username,
        password,
        deviceId: `device-${username}-limits`,
        deviceSecret: testDeviceSecret(`device-${username}-limits`),
      },
    });

  it('failed sign-ins from one address, whatever the usernames, stop that address only (password spraying)', async () => {
    for (const name of ['rita', 'lee', 'nobody'])
      expect((await attempt(name, 'Winter2026!')).statusCode).toBe(401);
    // the right password of a fourth account from the same address is refused too, with a wait
    const blocked = await attempt(USERS.admin.username, PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(blocked.json().error.code).toBe('rate-limited');
    // another address is not affected
    expect((await attempt(USERS.admin.username, PASSWORD, '10.0.0.2')).statusCode).toBe(200);
    env().clock.advance(15 * 60_000 + 1000);
    expect((await attempt(USERS.admin.username, PASSWORD)).statusCode).toBe(200);
  });

  it('failed sign-ins server-wide, from many addresses, slow every sign-in down for the window', async () => {
    for (let i = 0; i < 5; i++)
      expect((await attempt(`user${i}`, 'Winter2026!', `10.0.1.${i}`)).statusCode).toBe(401);
    expect((await attempt(USERS.admin.username, PASSWORD, '10.0.2.1')).statusCode).toBe(429);
    env().clock.advance(61_000);
    expect((await attempt(USERS.admin.username, PASSWORD, '10.0.2.1')).statusCode).toBe(200);
  });

  it('a successful sign-in counts against no failure limit', async () => {
    for (let i = 0; i < 8; i++)
      expect((await attempt(USERS.reviewer.username, PASSWORD)).statusCode).toBe(200);
  });

  it('logs each failed sign-in with username, address and reason, never the password', async () => {
    logLines.length = 0;
    const secret = 'Sentinel-Password-93f1';
    await attempt(USERS.reviewer.username, secret, '10.9.8.7');
    await attempt('ghost', secret, '10.9.8.6');
    const failed = logLines.map((l) => JSON.parse(l)).filter((l) => l.event === 'sign-in-failed');
    expect(failed.map((l) => [l.username, l.address, l.reason])).toEqual([
      [USERS.reviewer.username, '10.9.8.7', 'bad-credentials'],
      ['ghost', '10.9.8.6', 'bad-credentials'],
    ]);
    expect(logLines.join('\n')).not.toContain(secret);
  });

  it('the audit log records sign-ins, sign-outs and device revocations', async () => {
    const signIn = await attempt(USERS.reviewer.username, PASSWORD, '10.3.3.3');
    const { token, deviceId } = signIn.json();
    await env().app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(await revokeDevice(env().sdb.db, deviceId)).toBe(true);
    expect(await revokeDevice(env().sdb.db, deviceId)).toBe(false); // once
    const entries = (await auditPage(env().sdb.db, { limit: 100 })).filter((e) =>
      ['auth.sign-in', 'auth.sign-out', 'device.revoke'].includes(e.action),
    );
    expect(entries.map((e) => [e.action, e.actorRole, e.targetId])).toEqual([
      ['auth.sign-in', 'reviewer', deviceId],
      ['auth.sign-out', 'reviewer', deviceId],
      ['device.revoke', 'operator', deviceId],
    ]);
    expect(entries[0]!.actorUserId).toBe(env().userIds.reviewer);
    expect(entries[0]!.after).toMatchObject({ username: USERS.reviewer.username, address: '10.3.3.3' });
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
  });
});

describe('AttemptLimiter.waitFor', () => {
  it('reports a used-up window without counting', async () => {
    const { AttemptLimiter } = await import('../../../server/auth/rate-limit');
    let now = 0;
    const limiter = new AttemptLimiter(2, 10_000, () => now);
    expect(limiter.waitFor('k')).toBe(0);
    limiter.hit('k');
    expect(limiter.waitFor('k')).toBe(0);
    limiter.hit('k');
    now = 4000;
    expect(limiter.waitFor('k')).toBe(6);
    expect(limiter.waitFor('k')).toBe(6);
    now = 10_000;
    expect(limiter.waitFor('k')).toBe(0);
  });
});
