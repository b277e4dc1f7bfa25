import type { Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import { formatLabelProblems, labelProblems } from '../../shared/label-validity';
import type { Ruling, RulingRequest } from '../../shared/lead';
import type { Change } from '../../shared/sync';
import type { Task } from '../../shared/task';
import { audit } from '../audit/audit';
import type { AppContext, Caller } from '../context';
import { OccupancyDelta } from '../db/occupancy';
import type { Database, EscalationRulingsTable } from '../db/schema';
import { HttpError } from '../errors';
import { labelFact, writeLabelFacts } from '../metrics/label-facts';
import { docIdsOf, LabelDocs } from '../sync/label-config';
import { taskForCaller } from '../sync/lease';
import { escalationFor, rulingFrom, type EscalationRow } from './escalations';

type Trx = Transaction<Database>;

/**
 * A lead rules on an escalation (docs/lead-workspace.md, "Rulings"), in one transaction:
 * - 'label': the lead's label becomes the task's label (a labels row of the lead, linked from the
 *   ruling, so the raw export marks it `ruling: true`); it takes the slot the escalated lease held;
 * - 'return': the task goes back to the reviewer on a new lease (a fresh `assignment` in their feed);
 * either way the reviewer's feed gets the `ruling`, and the audit log the before and after.
 * A second ruling is 409 already-ruled; another pod's escalation is 404 like an unknown one.
 */
export async function ruleOnEscalation(
  ctx: AppContext,
  caller: Caller,
  id: string,
  body: RulingRequest,
): Promise<Ruling> {
  return ctx.writes.run(async (trx) => {
    const now = ctx.clock();
    const nowIso = now.toISOString();
    const row = await escalationFor(trx, caller, id);
    if (row.decision !== null)
      throw new HttpError(409, 'already-ruled', `escalation ${id} was ruled on at ${row.ruled_at}`);
    if (row.task_revoked_at !== null)
      throw new HttpError(409, 'task-revoked', `task "${row.task_id}" was withdrawn: nothing to rule on`);
    const ruling: EscalationRulingsTable = {
      escalation_id: Number(row.id),
      task_id: row.task_id,
      project_id: row.project_id,
      reviewer_id: row.user_id,
      lead_user_id: caller.userId,
      decision: body.decision,
      label_id: body.decision === 'label' ? body.label!.id : null,
      explanation: body.explanation,
      guidance: body.guidance?.trim() ? body.guidance : null,
      lease_token: null,
      ruled_at: nowIso,
    };
    // first, so that of two leads ruling at once the second finds the row and changes nothing
    const inserted = await trx
      .insertInto('escalation_rulings')
      .values(ruling)
      .onConflict((oc) => oc.column('escalation_id').doNothing())
      .returning('escalation_id')
      .executeTakeFirst();
    if (!inserted) throw new HttpError(409, 'already-ruled', `escalation ${id} was ruled on already`);

    const occupancy = new OccupancyDelta();
    const lease = await trx
      .selectFrom('leases')
      .select(['id', 'state'])
      .where('task_id', '=', row.task_id)
      .where('user_id', '=', row.user_id)
      .where('token', '=', row.lease_token)
      .executeTakeFirst();
    const settle = async (to: 'completed' | 'released') => {
      if (lease?.state !== 'escalated') return;
      occupancy.leaseMoved(row.task_id, 'escalated', to);
      await trx.updateTable('leases').set({ state: to }).where('id', '=', lease.id).execute();
    };

    let label: Label | null = null;
    if (body.decision === 'label') {
      label = await storeRulingLabel(trx, caller, row, body.label!, nowIso);
      occupancy.add(row.task_id, 1);
      await settle('completed');
    } else {
      await settle('released');
      ruling.lease_token = await returnToReviewer(ctx, trx, row, now);
      occupancy.add(row.task_id, 1);
      await trx
        .updateTable('escalation_rulings')
        .set({ lease_token: ruling.lease_token })
        .where('escalation_id', '=', ruling.escalation_id)
        .execute();
    }
    await occupancy.apply(trx);

    const result = rulingFrom(ruling, label, caller.displayName);
    const change: Change = { type: 'ruling', ruling: result };
    await trx
      .insertInto('changes')
      .values({ user_id: row.user_id, type: 'ruling', payload: JSON.stringify(change), created_at: nowIso })
      .execute();
    await audit(trx, {
      actor: caller,
      action: 'escalation.rule',
      targetType: 'escalation',
      targetId: String(row.id),
      before: {
        state: 'open',
        taskId: row.task_id,
        reviewer: row.username,
        reason: row.reason,
        note: row.note,
        leaseState: lease?.state ?? null,
      },
      after: { state: 'ruled', ...result, leaseToken: ruling.lease_token },
      at: now,
    });
    return result;
  });
}

/** The lead's label, checked like a pushed one, stored under the lead's identity. */
async function storeRulingLabel(
  trx: Trx,
  caller: Caller,
  row: EscalationRow,
  label: Label,
  nowIso: string,
): Promise<Label> {
  const task = JSON.parse(row.task_body) as Task;
  const project = await trx
    .selectFrom('projects')
    .select(['taxonomy_id', 'template_id'])
    .where('id', '=', row.project_id)
    .executeTakeFirstOrThrow();
  const docs = new LabelDocs();
  const ids = docIdsOf(task, project);
  await docs.load(trx, { taxonomy: [ids.taxonomy], template: [ids.template] });
  const problems = labelProblems(label, docs.contextOf(task, project));
  if (problems.length)
    throw new HttpError(
      400,
      'invalid-label',
      formatLabelProblems(problems),
      problems.map((p) => ({ path: p.path, message: p.message })),
    );
  const clash = await trx
    .selectFrom('labels')
    .select(['id', 'task_id', 'user_id'])
    .where((eb) =>
      eb.or([
        eb('id', '=', label.id),
        eb.and([eb('task_id', '=', row.task_id), eb('user_id', '=', caller.userId)]),
      ]),
    )
    .executeTakeFirst();
  if (clash)
    throw new HttpError(
      409,
      'label-conflict',
      clash.id === label.id
        ? `label id ${label.id} is taken: give the ruling a new label id`
        : `you already labeled task "${row.task_id}" (label ${clash.id})`,
    );
  // identity is the session's; the lead rules online, so the times are the server's
  const stored: Label = {
    ...label,
    reviewerId: caller.userId,
    deviceId: caller.deviceId,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  await trx
    .insertInto('labels')
    .values({
      id: label.id,
      task_id: row.task_id,
      project_id: row.project_id,
      user_id: caller.userId,
      device_id: caller.deviceId,
      body: JSON.stringify(stored),
      revision: label.revision,
      // no lease: the slot is the escalated lease's, which the ruling completes
      lease_token: 0,
      flagged: null,
      client_times: null,
      created_at: nowIso,
      received_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  await writeLabelFacts(trx, [
    labelFact(stored, {
      projectId: row.project_id,
      taskId: row.task_id,
      userId: caller.userId,
      receivedAt: nowIso,
    }),
  ]);
  return stored;
}

/** A new lease on the task for the reviewer who escalated it, and its assignment in their feed. */
async function returnToReviewer(ctx: AppContext, trx: Trx, row: EscalationRow, now: Date): Promise<number> {
  const nowIso = now.toISOString();
  const { lease_counter: token } = await trx
    .updateTable('tasks')
    .set((eb) => ({ lease_counter: eb('lease_counter', '+', 1) }))
    .where('id', '=', row.task_id)
    .returning('lease_counter')
    .executeTakeFirstOrThrow();
  const expiresAt = new Date(now.getTime() + Number(row.lease_hours) * 3600_000).toISOString();
  await trx
    .insertInto('leases')
    .values({
      task_id: row.task_id,
      project_id: row.project_id,
      user_id: row.user_id,
      token,
      expires_at: expiresAt,
      state: 'active',
      created_at: nowIso,
    })
    .execute();
  const sign = await ctx.leaseProofs.signer(trx);
  const change: Change = {
    type: 'assignment',
    projectId: row.project_id,
    task: taskForCaller(JSON.parse(row.task_body) as Task, { role: 'reviewer' }),
    leaseToken: token,
    leaseExpiresAt: expiresAt,
    leaseProof: sign(row.task_id, token, row.user_id),
  };
  await trx
    .insertInto('changes')
    .values({ user_id: row.user_id, type: 'assignment', payload: JSON.stringify(change), created_at: nowIso })
    .execute();
  return token;
}
