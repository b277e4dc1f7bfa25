import type { Change, PullRequest, PullResponse } from '../../shared/sync';
import type { AppContext, Caller } from '../context';
import { getEpoch } from '../db/connect';
import { HttpError } from '../errors';

function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d{1,15}$/.test(cursor))
    throw new HttpError(400, 'invalid-request', `invalid request body: cursor: "${cursor}" is not a cursor`, [
      { path: 'cursor', message: 'not a cursor this server issued' },
    ]);
  return Number(cursor);
}

/**
 * POST /v1/sync/pull: the caller's changes and broadcast changes after the cursor, in order.
 * A client on another epoch (the server was restored) gets reset:true and the log from the start.
 */
export async function pullChanges(ctx: AppContext, caller: Caller, req: PullRequest): Promise<PullResponse> {
  if (req.deviceId !== caller.deviceId)
    throw new HttpError(
      403,
      'device-mismatch',
      `deviceId ${req.deviceId} is not the device this session signed in on`,
    );
  const db = ctx.sdb.db;
  const epoch = await getEpoch(db);
  const reset = req.epoch !== null ? req.epoch !== epoch : req.cursor !== null;
  const after = reset ? 0 : parseCursor(req.cursor);
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'payload'])
    .where('seq', '>', after)
    .where((eb) => eb.or([eb('user_id', '=', caller.userId), eb('user_id', 'is', null)]))
    .orderBy('seq')
    .limit(req.limit + 1)
    .execute();
  const hasMore = rows.length > req.limit;
  const page = hasMore ? rows.slice(0, req.limit) : rows;
  const device = await db
    .selectFrom('devices')
    .select('last_mutation_id')
    .where('id', '=', req.deviceId)
    .executeTakeFirst();
  return {
    epoch,
    reset,
    cursor: String(page.length ? page[page.length - 1]!.seq : after),
    hasMore,
    lastMutationId: device?.last_mutation_id ?? 0,
    changes: page.map((r) => JSON.parse(r.payload) as Change),
  };
}
