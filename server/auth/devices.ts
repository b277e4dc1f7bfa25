import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { LoginRequest } from '../../shared/identity';
import type { AppContext } from '../context';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { hashToken, newSessionToken } from './guard';

type Trx = Transaction<Database>;

/** live sessions kept per device: signing in again on a device ends its older sessions */
export const SESSIONS_PER_DEVICE = 1;
/** live sessions kept per user across devices: the oldest end first */
export const SESSIONS_PER_USER = 10;

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The device a sign-in is bound to. A device id belongs to one user for good and to the install
 * that holds its secret:
 * - an id the server does not know is registered as proposed (a new install; or one this server
 *   forgot because it was restored from a backup, which the device's next push then reveals);
 * - a known id is kept when it is this user's and the secret matches (a device registered before
 *   secrets existed is bound to the first secret its owner signs in with);
 * - otherwise (another user's device, or a copied install with another secret) a new id is
 *   registered: it is never handed over, so nobody's pushes can shadow the owner's.
 * A revoked device is refused only to its own install; anyone else simply gets a new id.
 */
export async function claimDevice(
  trx: Trx,
  ctx: AppContext,
  userId: string,
  body: Pick<LoginRequest, 'deviceId' | 'deviceSecret' | 'deviceName'>,
): Promise<string> {
  const secretHash = hashToken(body.deviceSecret);
  const known = await trx
    .selectFrom('devices')
    .select(['user_id', 'secret_hash', 'revoked_at'])
    .where('id', '=', body.deviceId)
    .executeTakeFirst();
  if (!known) return insertDevice(trx, ctx, userId, body.deviceId, secretHash, body.deviceName);
  const own =
    known.user_id === userId && (known.secret_hash === null || sameHash(known.secret_hash, secretHash));
  if (!own) return registerDevice(trx, ctx, userId, body);
  if (known.revoked_at) throw new HttpError(401, 'device-revoked', 'this device has been revoked');
  await trx
    .updateTable('devices')
    .set({ name: body.deviceName, secret_hash: secretHash })
    .where('id', '=', body.deviceId)
    .execute();
  return body.deviceId;
}

/** Registers a new device id for the user (server-chosen, random). */
export function registerDevice(
  trx: Trx,
  ctx: AppContext,
  userId: string,
  body: { deviceSecret: string; deviceName: string },
): Promise<string> {
  return insertDevice(trx, ctx, userId, randomUUID(), hashToken(body.deviceSecret), body.deviceName);
}

async function insertDevice(
  trx: Trx,
  ctx: AppContext,
  userId: string,
  id: string,
  secretHash: string,
  name: string,
): Promise<string> {
  await trx
    .insertInto('devices')
    .values({
      id,
      user_id: userId,
      name,
      last_mutation_id: 0,
      created_at: ctx.clock().toISOString(),
      revoked_at: null,
      secret_hash: secretHash,
      history_digest: null,
    })
    .execute();
  return id;
}

/**
 * A new session on the device, ending the sessions beyond the caps (older ones on this device, and
 * the user's oldest beyond SESSIONS_PER_USER): signing in again does not keep old tokens alive.
 */
export async function openSession(
  trx: Trx,
  ctx: AppContext,
  userId: string,
  deviceId: string,
): Promise<{ token: string; expiresAt: string }> {
  const now = ctx.clock();
  const at = now.toISOString();
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + ctx.sessionTtlMs).toISOString();
  const live = await trx
    .selectFrom('sessions')
    .select(['token_hash', 'device_id'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .execute();
  const onDevice = live.filter((s) => s.device_id === deviceId);
  const ended = new Set(onDevice.slice(SESSIONS_PER_DEVICE - 1).map((s) => s.token_hash));
  for (const s of live.filter((s) => !ended.has(s.token_hash)).slice(SESSIONS_PER_USER - 1))
    ended.add(s.token_hash);
  if (ended.size)
    await trx
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('token_hash', 'in', [...ended])
      .execute();
  await trx
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      device_id: deviceId,
      created_at: at,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}
