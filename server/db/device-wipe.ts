import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { OPERATOR, audit } from '../audit/audit';
import type { Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

/** the open order of a device (not yet reported wiped), with what proves it to the workstation */
export type OpenWipe = { orderId: string; deviceId: string; secretHash: string | null };

/**
 * Orders a device wiped, inside the caller's transaction: the device is revoked (its sessions are
 * refused from their next request, which then carries the order) and the order is audited
 * (`device.wipe`). An open order is kept, not doubled. Returns the order id, or null for an
 * unknown device.
 */
export async function orderWipe(
  trx: Transaction<Database>,
  deviceId: string,
  at: string,
): Promise<string | null> {
  const device = await trx
    .selectFrom('devices')
    .select(['id', 'revoked_at'])
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (!device) return null;
  const open = await openWipe(trx, deviceId);
  if (open) return open.orderId;
  const orderId = randomUUID();
  const revokedAt = device.revoked_at ?? at;
  if (device.revoked_at === null)
    await trx.updateTable('devices').set({ revoked_at: at }).where('id', '=', deviceId).execute();
  await trx
    .insertInto('device_wipes')
    .values({ id: orderId, device_id: deviceId, ordered_at: at, wiped_at: null, unsent: null })
    .execute();
  await audit(trx, {
    actor: OPERATOR,
    action: 'device.wipe',
    targetType: 'device',
    targetId: deviceId,
    before: { revokedAt: device.revoked_at },
    after: { revokedAt, wipeOrder: orderId },
    at,
  });
  return orderId;
}

export async function openWipe(db: Db, deviceId: string): Promise<OpenWipe | null> {
  const row = await db
    .selectFrom('device_wipes as w')
    .innerJoin('devices as d', 'd.id', 'w.device_id')
    .select(['w.id', 'w.device_id', 'd.secret_hash'])
    .where('w.device_id', '=', deviceId)
    .where('w.wiped_at', 'is', null)
    .orderBy('w.ordered_at', 'desc')
    .executeTakeFirst();
  return row ? { orderId: row.id, deviceId: row.device_id, secretHash: row.secret_hash } : null;
}

/**
 * The workstation reports the wipe: closes the order (audited `device.wiped`, the device's user as
 * the target's owner). False when there is no such open order for the device.
 */
export async function recordWiped(
  trx: Transaction<Database>,
  report: { deviceId: string; orderId: string; unsent: number; wipedAt: string },
  at: string,
): Promise<boolean> {
  const res = await trx
    .updateTable('device_wipes')
    .set({ wiped_at: at, unsent: report.unsent })
    .where('id', '=', report.orderId)
    .where('device_id', '=', report.deviceId)
    .where('wiped_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  await audit(trx, {
    actor: OPERATOR,
    action: 'device.wiped',
    targetType: 'device',
    targetId: report.deviceId,
    before: { wipeOrder: report.orderId, wipedAt: null },
    after: { wipeOrder: report.orderId, wipedAt: report.wipedAt, unsentDeleted: report.unsent },
    at,
  });
  return true;
}

/** the last order of each device: for `device list` */
export async function wipeStates(
  db: Db,
): Promise<Map<string, { orderedAt: string; wipedAt: string | null }>> {
  const rows = await db
    .selectFrom('device_wipes')
    .select(['device_id', 'ordered_at', 'wiped_at'])
    .orderBy('ordered_at')
    .execute();
  return new Map(rows.map((r) => [r.device_id, { orderedAt: r.ordered_at, wipedAt: r.wiped_at }]));
}
