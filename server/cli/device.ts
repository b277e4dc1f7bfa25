import type { Kysely } from 'kysely';
import { listDevices, revokeDevice } from '../db/admin';
import { orderWipe, wipeStates } from '../db/device-wipe';
import type { Database } from '../db/schema';
import type { Print } from './admin';
import type { Parsed } from './args';
import { optional, positionals } from './args';
import { CliError } from './usage';

type Db = Kysely<Database>;

const COLUMNS = [
  'ID',
  'USER',
  'NAME',
  'LAST MUTATION',
  'CREATED',
  'REVOKED',
  'LAST SIGN-IN',
  'RECOVERY',
  'WIPE',
] as const;

/**
 * After a restore from a backup: '-' for a device the server never found ahead of it; 're-sent'
 * once it has pushed again everything it had acknowledged; else 'pending (N)', N being that point.
 */
const recovery = (d: { recoveryThrough: number; lastMutationId: number }) =>
  d.recoveryThrough === 0
    ? '-'
    : d.lastMutationId >= d.recoveryThrough
      ? 're-sent'
      : `pending (${d.recoveryThrough})`;

/** `device list [--user USERNAME]`: one aligned line per device, newest first. */
export async function deviceList(db: Db, parsed: Parsed, print: Print): Promise<void> {
  positionals(parsed, []);
  const username = optional(parsed, 'user');
  if (
    username !== undefined &&
    !(await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())
  ) {
    throw new CliError(`--user: no user "${username}"`);
  }
  const devices = await listDevices(db, { username });
  const wipes = await wipeStates(db);
  if (devices.length === 0) {
    print(username === undefined ? 'no devices' : `no devices for ${username}`);
    return;
  }
  const rows: string[][] = [
    [...COLUMNS],
    ...devices.map((d) => [
      d.id,
      d.username,
      // a device name is the client's to choose: keep each device on one line
      d.name.replace(/\s+/g, ' '),
      String(d.lastMutationId),
      d.createdAt,
      d.revokedAt ?? '-',
      d.lastSignIn ?? '-',
      recovery(d),
      wipeState(wipes.get(d.id)),
    ]),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    print(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

/** `device revoke DEVICE_ID`: its sessions are refused at their next request. */
export async function deviceRevoke(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [id] = positionals(parsed, ['device_id']);
  const device = await db
    .selectFrom('devices as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.name', 'd.revoked_at', 'u.username'])
    .where('d.id', '=', id!)
    .executeTakeFirst();
  if (!device) throw new CliError(`no device "${id}" (see: device list)`);
  if (device.revoked_at !== null) {
    print(`device ${id} was already revoked at ${device.revoked_at}`);
    return;
  }
  await revokeDevice(db, id!);
  print(
    `revoked device ${id} (${device.name}, last signed in by ${device.username}): ` +
      'its sessions are refused at their next request',
  );
}

/** '-', 'ordered AT' (not carried out yet) or 'wiped AT' */
const wipeState = (w: { orderedAt: string; wipedAt: string | null } | undefined) =>
  !w ? '-' : w.wipedAt ? `wiped ${w.wipedAt}` : `ordered ${w.orderedAt}`;

/**
 * `device wipe DEVICE_ID`: revokes the device and orders it wiped at its next contact (audited
 * device.wipe); the workstation reports the wipe (device.wiped). An open order is not doubled.
 */
export async function deviceWipe(db: Db, parsed: Parsed, print: Print): Promise<void> {
  const [id] = positionals(parsed, ['device_id']);
  const device = await db
    .selectFrom('devices as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.name', 'u.username'])
    .where('d.id', '=', id!)
    .executeTakeFirst();
  if (!device) throw new CliError(`no device "${id}" (see: device list)`);
  const at = new Date().toISOString();
  await db.transaction().execute((trx) => orderWipe(trx, id!, at));
  print(
    `wipe ordered for device ${id} (${device.name}, last signed in by ${device.username}): revoked now; ` +
      'at its next contact it deletes its local data and reports it (see: device list)',
  );
}
