import type { Transaction } from 'kysely';
import type { Change, Mutation, MutationOutcome, PushRequest, PushResponse } from '../../shared/sync';
import type { AppContext, Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, DevicesTable } from '../db/schema';
import { HttpError } from '../errors';
import { PushBatch } from './push-batch';

type Trx = Transaction<Database>;

export type PendingPush = { caller: Caller; req: PushRequest };
/** per push: its answer, or the error that refused it as a whole (nothing of it was applied) */
export type PushResult = { ok: true; response: PushResponse } | { ok: false; error: HttpError };

const isNotable = (o: MutationOutcome) => o.status === 'rejected' || o.flagged !== null;

/**
 * The mutations of a push the device has not had applied yet (id > lastMutationId), or why the push
 * is refused: the first fresh id must follow lastMutationId and the rest must be consecutive.
 */
function freshMutations(req: PushRequest, last: number): Mutation[] | HttpError {
  let expected = last + 1;
  for (const [i, m] of req.mutations.entries()) {
    if (m.id <= last) continue;
    if (m.id !== expected)
      return new HttpError(
        400,
        'mutation-gap',
        `mutations.${i}.id is ${m.id} but ${expected} was expected next (server has applied up to ${last})`,
        [{ path: `mutations.${i}.id`, message: `expected ${expected}` }],
      );
    expected += 1;
  }
  return req.mutations.filter((m) => m.id > last);
}

/**
 * Applies pushes in ONE transaction, with the same result as applying them one after the other in
 * arrival order: each device's lastMutationId advances in memory from push to push, and is stored
 * in the same transaction as the work, so a retried or duplicated push is a no-op. A push refused
 * as a whole (unknown device, mutation gap) applies nothing and does not disturb the others.
 */
export async function applyPushes(trx: Trx, ctx: AppContext, pushes: PendingPush[]): Promise<PushResult[]> {
  const nowIso = ctx.clock().toISOString();
  const deviceIds = [...new Set(pushes.map((p) => p.req.deviceId))].sort();
  // locked in id order on PostgreSQL: concurrent pushes of a device queue here, and two groups never
  // wait for each other crosswise (SQLite runs one write transaction at a time anyway)
  let deviceQuery = trx.selectFrom('devices').selectAll().where('id', 'in', deviceIds).orderBy('id');
  if (ctx.sdb.dialect === 'postgres') deviceQuery = deviceQuery.forUpdate();
  const devices = new Map((await deviceQuery.execute()).map((d) => [d.id, d]));
  const last = new Map([...devices.values()].map((d) => [d.id, d.last_mutation_id]));

  const results: (PushResult | null)[] = [];
  const plans: { index: number; caller: Caller; deviceId: string; fresh: Mutation[] }[] = [];
  for (const [index, { caller, req }] of pushes.entries()) {
    const lastApplied = last.get(req.deviceId);
    if (lastApplied === undefined) {
      results.push({
        ok: false,
        error: new HttpError(403, 'device-mismatch', `unknown device ${req.deviceId}`),
      });
      continue;
    }
    const fresh = freshMutations(req, lastApplied);
    if (fresh instanceof HttpError) {
      results.push({ ok: false, error: fresh });
      continue;
    }
    results.push(null);
    if (fresh.length === 0) {
      results[index] = { ok: true, response: { lastMutationId: lastApplied, outcomes: [] } };
      continue;
    }
    last.set(req.deviceId, fresh[fresh.length - 1]!.id);
    plans.push({ index, caller, deviceId: req.deviceId, fresh });
  }
  if (plans.length === 0) return results as PushResult[];

  const batch = new PushBatch(trx, nowIso);
  await batch.load(plans.flatMap((p) => p.fresh));
  const verdicts: { userId: string; deviceId: string; outcome: MutationOutcome }[] = [];
  for (const plan of plans) {
    const outcomes = plan.fresh.map((m) => batch.apply(m, plan.caller, plan.deviceId));
    for (const outcome of outcomes.filter(isNotable))
      verdicts.push({ userId: plan.caller.userId, deviceId: plan.deviceId, outcome });
    results[plan.index] = {
      ok: true,
      response: { lastMutationId: plan.fresh[plan.fresh.length - 1]!.id, outcomes },
    };
  }
  await batch.flush();
  await recordVerdicts(trx, verdicts, nowIso);
  const moved: DevicesTable[] = [];
  for (const [id, device] of devices)
    if (last.get(id) !== device.last_mutation_id) moved.push({ ...device, last_mutation_id: last.get(id)! });
  if (moved.length)
    await trx
      .insertInto('devices')
      .values(moved)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({ last_mutation_id: eb.ref('excluded.last_mutation_id') })),
      )
      .execute();
  for (const [table, rows] of Object.entries(batch.added())) ctx.stats.changed(table as 'labels', rows);
  ctx.stats.changed('changes', verdicts.length);
  return results as PushResult[];
}

/**
 * Every verdict other than a plain accept also goes into the user's change feed, in the push's own
 * transaction: a client whose push answer was lost retries, gets no outcomes for the already-applied
 * ids, and would otherwise take a rejection for an accept.
 */
async function recordVerdicts(
  trx: Trx,
  verdicts: { userId: string; deviceId: string; outcome: MutationOutcome }[],
  nowIso: string,
): Promise<void> {
  for (const batch of chunks(verdicts))
    await trx
      .insertInto('changes')
      .values(
        batch.map(({ userId, deviceId, outcome }) => ({
          user_id: userId,
          type: 'outcome',
          payload: JSON.stringify({ type: 'outcome', deviceId, outcome } satisfies Change),
          created_at: nowIso,
        })),
      )
      .execute();
}

/**
 * POST /v1/sync/push. Pushes that arrive while others are being written are applied together
 * (push-groups.ts), each with exactly the outcome it would have had alone.
 */
export async function pushMutations(
  ctx: AppContext,
  caller: Caller,
  req: PushRequest,
): Promise<PushResponse> {
  if (req.deviceId !== caller.deviceId)
    throw new HttpError(
      403,
      'device-mismatch',
      `deviceId ${req.deviceId} is not the device this session signed in on`,
    );
  return ctx.pushes.submit(caller, req);
}
