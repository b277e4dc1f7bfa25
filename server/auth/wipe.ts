import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { WIPE_CODE } from '../../shared/sync';
import type { WipeOrder } from '../../shared/sync';
import { openWipe } from '../db/device-wipe';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { hashToken } from './guard';

/**
 * The proof the workstation checks before it obeys an order: HMAC-SHA256 of `wipe:<device>:<order>`
 * keyed with the SHA-256 (hex) of the device secret (what the server stores, never the secret).
 */
export const wipeProof = (secretHash: string, deviceId: string, orderId: string) =>
  createHmac('sha256', secretHash).update(`wipe:${deviceId}:${orderId}`).digest('base64url');

const WIPE_WORDS = 'this computer was ordered wiped by the administrator: its local data is being deleted';

/**
 * The refusal for a device with an open wipe order (the order inside), or null. A device registered
 * before secrets existed cannot check an order: it gets the plain refusal.
 */
export async function wipeRefusal(db: Kysely<Database>, deviceId: string): Promise<HttpError | null> {
  const order = await openWipe(db, deviceId);
  if (!order?.secretHash) return null;
  const wipe: WipeOrder = {
    orderId: order.orderId,
    deviceId,
    proof: wipeProof(order.secretHash, deviceId, order.orderId),
  };
  return new HttpError(401, WIPE_CODE, WIPE_WORDS, undefined, undefined, wipe);
}

/** the device secret matches the stored hash (constant time) */
export function secretMatches(secretHash: string | null, secret: string): boolean {
  if (secretHash === null) return false;
  const a = Buffer.from(secretHash);
  const b = Buffer.from(hashToken(secret));
  return a.length === b.length && timingSafeEqual(a, b);
}
