import type { Insertable, Transaction } from 'kysely';
import type { Change, Mutation, MutationOutcome, PushRequest, PushResponse } from '../../shared/sync';
import { isTrainingMutation } from '../../shared/sync';
import { TrainingBatch } from '../training/push';
import type { AppContext, Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, DevicesTable } from '../db/schema';
import { HttpError } from '../errors';
import { continueHistory, type DeviceHistory } from './history';
import { PushBatch } from './push-batch';

type Trx = Transaction<Database>;

export type PendingPush = { caller: Caller; req: PushRequest };
/** per push: its answer, or the error that refused it as a whole (nothing of it was applied) */
export type PushResult = { ok: true; response: PushResponse } | { ok: false; error: HttpError };

const isNotable = (o: MutationOutcome) => o.status === 'rejected' || o.flagged !== null;

/**
 * Applies pushes in ONE transaction, with the same result as applying them one after the other in
 * arrival order: each device's history (last id and digest, history.ts) advances in memory from
 * push to push, and is stored in the same transaction as the work, so a retried or duplicated push
 * is a no-op. A push refused as a whole (unknown device, gap, history conflict) applies nothing and
 * does not disturb the others.
 */
export async function applyPushes(trx: Trx, ctx: AppContext, pushes: PendingPush[]): Promise<PushResult[]> {
  const nowIso = ctx.clock().toISOString();
  const deviceIds = [...new Set(pushes.map((p) => p.req.deviceId))].sort();
  // locked in id order on PostgreSQL: concurrent pushes of a device queue here, and two groups never
  // wait for each other crosswise (SQLite runs one write transaction at a time anyway)
  let deviceQuery = trx.selectFrom('devices').selectAll().where('id', 'in', deviceIds).orderBy('id');
  if (ctx.sdb.dialect === 'postgres') deviceQuery = deviceQuery.forUpdate();
  const devices = new Map((await deviceQuery.execute()).map((d) => [d.id, d]));
  const held = new Map(
    [...devices.values()].map((d) => [d.id, { last: d.last_mutation_id, digest: d.history_digest }]),
  );
  const recovery = new Map([...devices.values()].map((d) => [d.id, d.recovery_through]));

  const results: (PushResult | null)[] = [];
  const plans: { index: number; caller: Caller; deviceId: string; fresh: Mutation[] }[] = [];
  for (const [index, { caller, req }] of pushes.entries()) {
    const history = held.get(req.deviceId);
    if (history === undefined) {
      results.push({
        ok: false,
        error: new HttpError(403, 'device-mismatch', `unknown device ${req.deviceId}`),
      });
      continue;
    }
    const next = continueHistory(req, history);
    if (next instanceof HttpError) {
      results.push({ ok: false, error: next });
      reportConflict(ctx, caller, req, history, next);
      // for the operator (device list, RECOVERY): the point the device held before the restore
      if (next.code === 'server-behind')
        recovery.set(req.deviceId, Math.max(recovery.get(req.deviceId)!, req.base.id));
      continue;
    }
    results.push(null);
    held.set(req.deviceId, next.after);
    if (next.fresh.length === 0) {
      results[index] = { ok: true, response: { lastMutationId: next.after.last, outcomes: [] } };
      continue;
    }
    plans.push({ index, caller, deviceId: req.deviceId, fresh: next.fresh });
  }

  const verdicts: { userId: string; deviceId: string; outcome: MutationOutcome }[] = [];
  const batch = new PushBatch(trx, nowIso, await ctx.leaseProofs.checker(trx));
  // training answers (no lease, their own tables) are applied by their own batch, in the same order
  const training = new TrainingBatch(trx, ctx, nowIso);
  if (plans.length) {
    const fresh = plans.flatMap((p) => p.fresh);
    await batch.load(fresh.filter((m) => !isTrainingMutation(m)));
    await batch.loadAccess(plans.map((p) => p.caller));
    await training.load(fresh.filter(isTrainingMutation));
    for (const plan of plans) {
      const outcomes = plan.fresh.map((m) =>
        isTrainingMutation(m)
          ? training.apply(m, plan.caller, plan.deviceId)
          : batch.apply(m, plan.caller, plan.deviceId),
      );
      for (const outcome of outcomes.filter(isNotable))
        verdicts.push({ userId: plan.caller.userId, deviceId: plan.deviceId, outcome });
      results[plan.index] = {
        ok: true,
        response: { lastMutationId: plan.fresh[plan.fresh.length - 1]!.id, outcomes },
      };
    }
    await batch.flush();
    await training.flush();
    await recordVerdicts(trx, verdicts, nowIso);
  }
  const moved: Insertable<DevicesTable>[] = [];
  for (const [id, device] of devices) {
    const h = held.get(id)!;
    const through = recovery.get(id)!;
    if (
      h.last !== device.last_mutation_id ||
      h.digest !== device.history_digest ||
      through !== device.recovery_through
    )
      moved.push({
        ...device,
        last_mutation_id: h.last,
        history_digest: h.digest,
        recovery_through: through,
      });
  }
  if (moved.length)
    await trx
      .insertInto('devices')
      .values(moved)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          last_mutation_id: eb.ref('excluded.last_mutation_id'),
          history_digest: eb.ref('excluded.history_digest'),
          recovery_through: eb.ref('excluded.recovery_through'),
        })),
      )
      .execute();
  for (const [table, rows] of Object.entries(batch.added())) ctx.stats.changed(table as 'labels', rows);
  ctx.stats.changed('changes', verdicts.length);
  return results as PushResult[];
}

/**
 * Pushes refused as a whole go to the server's log too: an operator sees restores, copied installs
 * and a workstation stuck on a refusal (it retries with backoff, so the line repeats slowly).
 */
function reportConflict(
  ctx: AppContext,
  caller: Caller,
  req: PushRequest,
  held: DeviceHistory,
  error: HttpError,
) {
  const who = `device ${req.deviceId} (${caller.username})`;
  const words: Record<string, string> = {
    'server-behind': `${who} holds acknowledgements up to mutation ${req.base.id}, the server only up to ${held.last}: restored from a backup? The device re-sends its work`,
    'device-diverged': `${who} pushed a history that differs from the server's (two installs with one device id?): it registers a new device id`,
  };
  ctx.log.warn(
    {
      deviceId: req.deviceId,
      user: caller.username,
      deviceBase: req.base.id,
      serverLast: held.last,
      code: error.code,
    },
    words[error.code] ?? `${who}: push refused (${error.code}): ${error.message}`,
  );
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
