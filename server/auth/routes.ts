import type { FastifyInstance } from 'fastify';
import { LoginRequest, type LoginResponse, type UserInfo } from '../../shared/identity';
import { SYNC_PATHS } from '../../shared/sync';
import { getEpoch } from '../db/connect';
import type { AppContext, Caller } from '../context';
import { HttpError, parseOr400 } from '../errors';
import { ALL_ROLES, hashToken, newSessionToken, requireCaller } from './guard';
import { hashPassword, verifyPassword } from './password';
import { AttemptLimiter } from './rate-limit';

export type LoginRateLimit = { max: number; windowMs: number };

const userInfo = (c: Pick<Caller, 'userId' | 'username' | 'displayName' | 'role' | 'podId'>): UserInfo => ({
  id: c.userId,
  username: c.username,
  displayName: c.displayName,
  role: c.role,
  podId: c.podId,
});

// verified against when the username is unknown, so timing does not reveal which usernames exist
const dummyHash = hashPassword('not-a-real-password');

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext, rate: LoginRateLimit): void {
  const limiter = new AttemptLimiter(rate.max, rate.windowMs, () => ctx.clock().getTime());
  const db = ctx.sdb.db;

  app.post(SYNC_PATHS.login, { config: { roles: 'public' } }, async (request, reply) => {
    const body = parseOr400(LoginRequest, request.body);
    const wait = limiter.hit(`${body.username}|${request.ip}`);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new HttpError(429, 'rate-limited', `too many sign-in attempts: try again in ${wait} s`);
    }
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', body.username)
      .executeTakeFirst();
    const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyHash));
    if (!user || !ok) throw new HttpError(401, 'bad-credentials', 'wrong username or password');
    if (user.revoked_at) throw new HttpError(401, 'user-revoked', 'this account has been revoked');

    const now = ctx.clock();
    const at = now.toISOString();
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + ctx.sessionTtlMs).toISOString();
    await ctx.writes.run(async (trx) => {
      const device = await trx
        .selectFrom('devices')
        .select(['revoked_at'])
        .where('id', '=', body.deviceId)
        .executeTakeFirst();
      if (device?.revoked_at) throw new HttpError(401, 'device-revoked', 'this device has been revoked');
      if (device) {
        await trx
          .updateTable('devices')
          .set({ user_id: user.id, name: body.deviceName })
          .where('id', '=', body.deviceId)
          .execute();
      } else {
        await trx
          .insertInto('devices')
          .values({
            id: body.deviceId,
            user_id: user.id,
            name: body.deviceName,
            last_mutation_id: 0,
            created_at: at,
            revoked_at: null,
          })
          .execute();
      }
      await trx
        .insertInto('sessions')
        .values({
          token_hash: hashToken(token),
          user_id: user.id,
          device_id: body.deviceId,
          created_at: at,
          expires_at: expiresAt,
          revoked_at: null,
        })
        .execute();
    });
    const response: LoginResponse = {
      token,
      expiresAt,
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        podId: user.pod_id,
      },
      serverEpoch: await getEpoch(db),
    };
    return response;
  });

  app.post(SYNC_PATHS.logout, { config: { roles: ALL_ROLES } }, async (request) => {
    const caller = requireCaller(request);
    await ctx.writes.run((trx) =>
      trx
        .updateTable('sessions')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('token_hash', '=', caller.tokenHash)
        .execute(),
    );
    return { ok: true };
  });

  app.get(SYNC_PATHS.me, { config: { roles: ALL_ROLES } }, async (request) =>
    userInfo(requireCaller(request)),
  );
}
