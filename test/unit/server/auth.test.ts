import { expect, it } from 'vitest';
import { HealthResponse, ServerError } from '../../../shared/sync';
import { LoginResponse, UserInfo } from '../../../shared/identity';
import { revokeDevice, revokeUser } from '../../../server/db/admin';
import { describeEachDb } from './each-db';
import { HOUR, PASSWORD, testDeviceSecret, useServer } from './helpers';

describeEachDb('server identity', (dialect) => {
  const env = useServer(dialect, { sessionTtlMs: 24 * HOUR, loginRateLimit: { max: 3, windowMs: 60_000 } });

  it('answers health with the dialect, version and epoch', async () => {
    const res = await env().call(null, 'GET', '/v1/health');
    expect(res.status).toBe(200);
    const health = HealthResponse.parse(res.json);
    expect(health.db).toBe(dialect);
    expect(health.epoch).toMatch(/[0-9a-f-]{36}/);
  });

  it('signs in with the right password and knows the caller', async () => {
    const s = await env().login('reviewer');
    const { auth: _a, ...response } = s;
    LoginResponse.parse(response);
    expect(s.token.length).toBeGreaterThanOrEqual(43);
    const me = await env().call(s, 'GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(UserInfo.parse(me.json)).toMatchObject({ username: 'rita', role: 'reviewer', podId: 'pod-a' });
    // only a hash of the token is stored
    const stored = await env().sdb.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(s.token);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const username of ['rita', 'nobody']) {
      const res = await env().call(null, 'POST', '/v1/auth/login', {
        username,
        password: 'wrong',
        deviceId: 'device-x-12345',
        deviceSecret: testDeviceSecret('device-x-12345'),
      });
      expect(res.status).toBe(401);
      expect(ServerError.parse(res.json).error.code).toBe('bad-credentials');
    }
  });

  it('rate-limits sign-in attempts per username and address', async () => {
    const attempt = (password: string) =>
      env().call(null, 'POST', '/v1/auth/login', {
        username: 'rita',
        password,
        deviceId: 'device-rl-1',
        deviceSecret: testDeviceSecret('device-rl-1'),
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate-limited');
    // another user is not affected; after the window the right password works again
    expect((await env().login('lead')).token).toBeTruthy();
    env().clock.advance(61_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it('refuses an expired session', async () => {
    const s = await env().login('reviewer');
    env().clock.advance(25 * HOUR);
    const res = await env().call(s, 'GET', '/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('session-expired');
  });

  it('refuses a revoked user at the next request and at sign-in', async () => {
    const s = await env().login('reviewer');
    expect(await revokeUser(env().sdb.db, 'rita')).toBe(true);
    const res = await env().call(s, 'GET', '/v1/auth/me');
    expect(res.status).toBe(401);
    expect(['user-revoked', 'session-revoked']).toContain(res.json.error.code);
    await expect(env().login('reviewer')).rejects.toThrow(/401/);
  });

  it('refuses a revoked device at the next request', async () => {
    const s = await env().login('reviewer');
    await revokeDevice(env().sdb.db, s.deviceId);
    const res = await env().call(s, 'POST', '/v1/sync/pull', {
      deviceId: s.deviceId,
      cursor: null,
      epoch: null,
    });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('device-revoked');
    // the same user on another device still works
    const other = await env().login('reviewer', 'device-rita-2');
    expect((await env().call(other, 'GET', '/v1/auth/me')).status).toBe(200);
  });

  it('signs out: the token stops working', async () => {
    const s = await env().login('reviewer');
    expect((await env().call(s, 'POST', '/v1/auth/logout', {})).status).toBe(200);
    const res = await env().call(s, 'GET', '/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('session-revoked');
  });

  it('refuses missing and made-up tokens', async () => {
    expect((await env().call(null, 'GET', '/v1/auth/me')).status).toBe(401);
    const fake = { authorization: `Bearer ${'A'.repeat(43)}` };
    const res = await env().app.inject({ method: 'GET', url: '/v1/auth/me', headers: fake });
    expect(res.statusCode).toBe(401);
  });
});
