import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerRole } from '../db/schema';
import type { AppContext, Caller } from '../context';
import { HttpError } from '../errors';
import { wipeRefusal } from './wipe';

/**
 * Authorisation is declared on every route, never ad hoc in a handler:
 *   config: { roles: 'public' }                        no sign-in
 *   config: { roles: ['reviewer', 'lead', 'admin'] }   signed-in with one of these roles
 *   config: { roles: [...], podParam: 'podId' }       and a lead only for their own pod (admin: any)
 * A route registered without `roles` is a programming error and fails at start-up.
 */
export type RouteAuth = 'public' | readonly ServerRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: RouteAuth;
    podParam?: string;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export const ALL_ROLES: readonly ServerRole[] = ['trainee', 'reviewer', 'lead', 'admin'];

export const newSessionToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return request.caller;
}

async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!match) throw new HttpError(401, 'unauthenticated', 'missing or malformed bearer token');
  const tokenHash = hashToken(match[1]!);
  const row = await ctx.sdb.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('devices as d', 'd.id', 's.device_id')
    .select([
      's.expires_at',
      's.revoked_at as sessionRevoked',
      's.device_id',
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.pod_id',
      'u.revoked_at as userRevoked',
      'd.revoked_at as deviceRevoked',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) throw new HttpError(401, 'unauthenticated', 'unknown session: sign in again');
  // a refused session of a device ordered wiped (revoked, signed out or expired) carries the order
  const refuse = async (code: string, message: string): Promise<never> => {
    throw (await wipeRefusal(ctx.sdb.db, row.device_id)) ?? new HttpError(401, code, message);
  };
  if (row.userRevoked) return refuse('user-revoked', 'this account has been revoked');
  if (row.deviceRevoked) return refuse('device-revoked', 'this device has been revoked');
  if (row.sessionRevoked) return refuse('session-revoked', 'signed out: sign in again');
  if (row.expires_at <= ctx.clock().toISOString())
    return refuse('session-expired', 'session expired: sign in again');
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    podId: row.pod_id,
    deviceId: row.device_id,
    tokenHash,
  };
}

export function registerAuthGuard(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('caller', null);
  app.addHook('onRoute', (route) => {
    const roles = route.config?.roles;
    if (!roles) throw new Error(`route ${String(route.method)} ${route.url} declares no roles`);
  });
  // onRequest: refused callers are turned away before their body is even parsed
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const roles = config?.roles;
    if (!roles || roles === 'public') return; // unknown routes fall through to the 404 handler
    const caller = await authenticate(ctx, request);
    if (!roles.includes(caller.role))
      throw new HttpError(403, 'forbidden', `the ${caller.role} role may not use this endpoint`);
    if (config.podParam && caller.role !== 'admin') {
      const podId = (request.params as Record<string, string | undefined>)[config.podParam];
      if (!caller.podId || caller.podId !== podId)
        throw new HttpError(403, 'forbidden', 'this endpoint is limited to your own pod');
    }
    request.caller = caller;
  });
}
