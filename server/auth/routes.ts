import type { FastifyInstance } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { DeviceRequest, LoginRequest, type LoginResponse, type UserInfo } from '../../shared/identity';
import { SYNC_PATHS } from '../../shared/sync';
import { getEpoch } from '../db/connect';
import type { AppContext, Caller } from '../context';
import { HttpError, parseOr400 } from '../errors';
import { claimDevice, openSession, registerDevice } from './devices';
import { ALL_ROLES, requireCaller } from './guard';
import { hashPassword, verifyPassword } from './password';
import { AttemptLimiter } from './rate-limit';
import { audit } from '../audit/audit';
import { openWipe } from '../db/device-wipe';
import { secretMatches, wipeRefusal } from './wipe';

type Window = { max: number; windowMs: number };
/**
 * Sign-in limits. `max`/`windowMs`: attempts per username and address. `perAddress`: failed
 * sign-ins from one address, whatever the usernames (password spraying); `global`: failed sign-ins
 * server-wide (spraying from many addresses). Defaults in DEFAULT_LOGIN_LIMITS.
 */
export type LoginRateLimit = Window & { perAddress?: Window; global?: Window };

export const DEFAULT_LOGIN_LIMITS: Required<LoginRateLimit> = {
  max: 10,
  windowMs: 60_000,
  perAddress: { max: 30, windowMs: 15 * 60_000 },
  global: { max: 300, windowMs: 60_000 },
};

const LOGIN_BODY_LIMIT = 8 * 1024;
/** new device ids a user may ask for per hour (POST /v1/auth/device) */
export const NEW_DEVICES_PER_HOUR = 5;

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
  const clock = () => ctx.clock().getTime();
  const limiter = new AttemptLimiter(rate.max, rate.windowMs, clock);
  const perAddress = rate.perAddress ?? DEFAULT_LOGIN_LIMITS.perAddress;
  const global = rate.global ?? DEFAULT_LOGIN_LIMITS.global;
  const failuresByAddress = new AttemptLimiter(perAddress.max, perAddress.windowMs, clock);
  const failures = new AttemptLimiter(global.max, global.windowMs, clock);
  // a copied install asks once; a client asking again and again would only pile up device rows
  const newDevices = new AttemptLimiter(NEW_DEVICES_PER_HOUR, 3600_000, () => ctx.clock().getTime());
  const db = ctx.sdb.db;

  /** binds a device (claimed or newly registered) and opens a session on it, in one write */
  const signedIn = async (
    who: Parameters<typeof userInfo>[0],
    action: 'auth.sign-in' | 'auth.new-device',
    from: string,
    bindDevice: (trx: Transaction<Database>) => Promise<string>,
  ): Promise<LoginResponse> => {
    const { deviceId, token, expiresAt } = await ctx.writes.run(async (trx) => {
      const device = await bindDevice(trx);
      const session = await openSession(trx, ctx, who.userId, device);
      await audit(trx, {
        actor: { userId: who.userId, role: who.role },
        action,
        targetType: 'device',
        targetId: device,
        after: { username: who.username, address: from, expiresAt: session.expiresAt },
        at: ctx.clock(),
      });
      return { deviceId: device, ...session };
    });
    return { token, expiresAt, user: userInfo(who), serverEpoch: await getEpoch(db), deviceId };
  };

  const deliverWipe = async (deviceId: string, secret: string): Promise<void> => {
    const order = await openWipe(db, deviceId);
    if (!order || !secretMatches(order.secretHash, secret)) return;
    const refusal = await wipeRefusal(db, deviceId);
    if (refusal) throw refusal;
  };

  // a sign-in is a few hundred bytes: anything near the general 16 MiB limit is abuse
  app.post(
    SYNC_PATHS.login,
    { config: { roles: 'public' }, bodyLimit: LOGIN_BODY_LIMIT },
    async (request, reply) => {
      const body = parseOr400(LoginRequest, request.body);
      const wait = Math.max(
        limiter.hit(`${body.username}|${request.ip}`),
        failuresByAddress.waitFor(request.ip),
        failures.waitFor('all'),
      );
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError(429, 'rate-limited', `too many sign-in attempts: try again in ${wait} s`);
      }
      /** a failed sign-in: counted against the address and the server, logged without the password */
      const refuse = (reason: 'bad-credentials' | 'user-revoked', message: string): never => {
        failuresByAddress.hit(request.ip);
        failures.hit('all');
        request.log.warn(
          { event: 'sign-in-failed', username: body.username, address: request.ip, reason },
          'sign-in failed',
        );
        throw new HttpError(401, reason, message);
      };
      // a device ordered wiped gets the order at any sign-in its secret proves, before the password
      await deliverWipe(body.deviceId, body.deviceSecret);
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', body.username)
        .executeTakeFirst();
      const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyHash));
      if (!user || !ok) return refuse('bad-credentials', 'wrong username or password');
      if (user.revoked_at) return refuse('user-revoked', 'this account has been revoked');

      const who = {
        userId: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        podId: user.pod_id,
      };
      return signedIn(who, 'auth.sign-in', request.ip, (trx) => claimDevice(trx, ctx, user.id, body));
    },
  );

  /**
   * A signed-in workstation whose device history diverged from the server's (a cloned install) asks
   * for a new device id: bound to the same user, with a fresh session; the old session stays with
   * the old device, for the other install.
   */
  app.post(
    SYNC_PATHS.device,
    { config: { roles: ALL_ROLES }, bodyLimit: LOGIN_BODY_LIMIT },
    async (request, reply) => {
      const caller = requireCaller(request);
      const body = parseOr400(DeviceRequest, request.body);
      const wait = newDevices.hit(caller.userId);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError(429, 'rate-limited', `too many new device ids: try again in ${wait} s`);
      }
      return signedIn(caller, 'auth.new-device', request.ip, (trx) =>
        registerDevice(trx, ctx, caller.userId, body),
      );
    },
  );

  app.post(SYNC_PATHS.logout, { config: { roles: ALL_ROLES } }, async (request) => {
    const caller = requireCaller(request);
    await ctx.writes.run(async (trx) => {
      await trx
        .updateTable('sessions')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('token_hash', '=', caller.tokenHash)
        .execute();
      await audit(trx, {
        actor: caller,
        action: 'auth.sign-out',
        targetType: 'device',
        targetId: caller.deviceId,
        at: ctx.clock(),
      });
    });
    return { ok: true };
  });

  app.get(SYNC_PATHS.me, { config: { roles: ALL_ROLES } }, async (request) =>
    userInfo(requireCaller(request)),
  );
}
