import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ActionKind, ReviewerAction } from '../../shared/lead';
import type { Change } from '../../shared/sync';
import { certificateHolds } from '../../shared/training/standing';
import { audit } from '../audit/audit';
import type { AppContext, Caller } from '../context';
import type { Database, ReviewerActionsTable } from '../db/schema';
import { HttpError } from '../errors';
import { ProjectAccess } from '../auth/project-access';
import { certificateDoc, recordTrainingChanges } from '../training/docs';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;
type ActionRow = Selectable<ReviewerActionsTable>;

/** What each kind keeps in reviewer_actions.body */
type ActionBody = {
  note?: string | null;
  taskIds?: string[];
  projects?: string[];
  skill?: string;
  /** re-certification: the certificates it suspended and the due date each had before */
  certificates?: { id: string; dueAt: string | null }[];
};

/** What the action means for the reviewer, in plain words (the workstation shows these). */
export function actionWords(kind: ActionKind, body: ActionBody, lead: string, lifted: boolean): string {
  if (lifted)
    switch (kind) {
      case 'coaching':
        return `${lead} withdrew a coaching note.`;
      case 'restriction':
        return `${lead} lifted your restriction: you may take work from every project you are certified for again.`;
      case 'recertification':
        return `${lead} lifted the re-certification for ${body.skill}: your certificate counts again.`;
    }
  switch (kind) {
    case 'coaching':
      return `${lead} left you a coaching note: read it and acknowledge it.`;
    case 'restriction': {
      const projects = body.projects ?? [];
      return projects.length
        ? `${lead} restricted you to these projects until further notice: ${projects.join(', ')}. Practice (sandbox) work stays open.`
        : `${lead} restricted you to practice (sandbox) work until further notice: no production work for now.`;
    }
    case 'recertification':
      return `${lead} asked you to re-certify for ${body.skill}: your certificate is suspended, and production work that needs it waits until you pass the exam again.`;
  }
}

function actionOf(row: ActionRow, lead: string): ReviewerAction {
  const body = JSON.parse(row.body) as ActionBody;
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    state: row.lifted_at ? 'lifted' : 'active',
    words: actionWords(row.kind, body, lead, row.lifted_at !== null),
    note: body.note ?? null,
    taskIds: body.taskIds ?? [],
    projects: body.projects ?? [],
    skill: body.skill ?? null,
    createdAt: row.created_at,
    lead,
    acknowledgedAt: row.acknowledged_at,
    liftedAt: row.lifted_at,
  };
}

/** Sends the action's current state to the reviewer (a `coaching` change replaces its older copy). */
async function tell(trx: Trx, action: ReviewerAction, nowIso: string): Promise<void> {
  const change: Change = { type: 'coaching', action };
  await trx
    .insertInto('changes')
    .values({ user_id: action.userId, type: 'coaching', payload: JSON.stringify(change), created_at: nowIso })
    .execute();
}

/** The reviewer a lead acts on: a trainee or reviewer of the pod in the path (404 otherwise). */
async function podMember(db: Db, podId: string, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'pod_id', 'revoked_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.pod_id !== podId)
    throw new HttpError(404, 'not-found', `no user ${userId} in pod ${podId}`);
  if (user.role !== 'reviewer' && user.role !== 'trainee')
    throw new HttpError(
      400,
      'invalid-request',
      `actions apply to reviewers and trainees; ${user.username} is a ${user.role}`,
    );
  return user;
}

const leadName = async (db: Db, userId: string) =>
  (await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst())
    ?.display_name ?? '';

/** The actions taken on a pod member, newest first. */
export async function listActions(db: Db, podId: string, userId: string): Promise<ReviewerAction[]> {
  await podMember(db, podId, userId);
  const rows = await db
    .selectFrom('reviewer_actions as a')
    .innerJoin('users as l', 'l.id', 'a.created_by')
    .selectAll('a')
    .select('l.display_name as lead')
    .where('a.user_id', '=', userId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .execute();
  return rows.map(({ lead, ...row }) => actionOf(row, lead));
}

export type NewAction =
  | { kind: 'coaching'; note: string; taskIds: string[] }
  | { kind: 'restriction'; projects: string[]; note?: string }
  | { kind: 'recertification'; skill: string; note?: string };

/**
 * Takes an action on a reviewer in one transaction: stored, told to the reviewer through the feed,
 * audited. A restriction or re-certification while the same kind is active (same skill) is 409:
 * lift it first. Re-certification sets due_at = now on the reviewer's certificates for the skill
 * that still hold, so the lease gate refuses work needing the skill until they pass again.
 */
export async function takeAction(
  ctx: AppContext,
  caller: Caller,
  podId: string,
  userId: string,
  input: NewAction,
): Promise<ReviewerAction> {
  return ctx.writes.run(async (trx) => {
    const now = ctx.clock();
    const nowIso = now.toISOString();
    await podMember(trx, podId, userId);
    const body: ActionBody = { note: input.note?.trim() ? input.note : null };
    if (input.kind === 'coaching') body.taskIds = [...new Set(input.taskIds)];
    if (input.kind !== 'coaching') {
      const active = await trx
        .selectFrom('reviewer_actions')
        .select(['id', 'body'])
        .where('user_id', '=', userId)
        .where('kind', '=', input.kind)
        .where('lifted_at', 'is', null)
        .execute();
      const same =
        input.kind === 'restriction'
          ? active[0]
          : active.find((a) => (JSON.parse(a.body) as ActionBody).skill === input.skill);
      if (same)
        throw new HttpError(409, 'already-active', `a ${input.kind} (${same.id}) is in force: lift it first`);
    }
    if (input.kind === 'restriction') {
      const projects = [...new Set(input.projects)];
      // a project the lead may not see is named as unknown (docs/server.md, "Projects and pods")
      const access = await ProjectAccess.load(trx, caller);
      const known = projects.length
        ? (
            await trx
              .selectFrom('projects')
              .select(['id', 'pod_scoped'])
              .where('id', 'in', projects)
              .execute()
          ).filter((p) => access.allows(p))
        : [];
      const missing = projects.filter((p) => !known.some((k) => k.id === p));
      if (missing.length) throw new HttpError(400, 'invalid-request', `projects: no project "${missing[0]}"`);
      body.projects = projects;
    }
    if (input.kind === 'recertification') {
      body.skill = input.skill;
      const rows = await trx
        .selectFrom('certificates')
        .selectAll()
        .where('user_id', '=', userId)
        .where('skill', '=', input.skill)
        .execute();
      const holding = rows.filter((r) => certificateHolds(certificateDoc(r), now));
      if (!holding.length)
        throw new HttpError(
          409,
          'no-certificate',
          `the reviewer holds no ${input.skill} certificate that counts`,
        );
      body.certificates = holding.map((r) => ({ id: r.id, dueAt: r.due_at }));
      await trx
        .updateTable('certificates')
        .set({ due_at: nowIso })
        .where(
          'id',
          'in',
          holding.map((r) => r.id),
        )
        .execute();
      await recordTrainingChanges(
        trx,
        holding.map((r) => ({ userId, doc: certificateDoc({ ...r, due_at: nowIso }) })),
        nowIso,
      );
    }
    const row: ActionRow = {
      id: randomUUID(),
      user_id: userId,
      pod_id: podId,
      kind: input.kind,
      body: JSON.stringify(body),
      created_by: caller.userId,
      created_at: nowIso,
      acknowledged_at: null,
      lifted_at: null,
      lifted_by: null,
    };
    await trx.insertInto('reviewer_actions').values(row).execute();
    const action = actionOf(row, caller.displayName);
    await tell(trx, action, nowIso);
    await audit(trx, {
      actor: caller,
      action: `reviewer.${input.kind}`,
      targetType: 'user',
      targetId: userId,
      before: input.kind === 'recertification' ? { certificates: body.certificates } : null,
      after: action,
      at: now,
    });
    return action;
  });
}

/**
 * Lifts an action (409 when lifted already): a restriction ends, a coaching note is withdrawn, a
 * re-certification gives the suspended certificates back the due date they had (those still at the
 * date it set; one the reviewer has earned since is a new certificate anyway).
 */
export async function liftAction(
  ctx: AppContext,
  caller: Caller,
  podId: string,
  userId: string,
  actionId: string,
): Promise<ReviewerAction> {
  return ctx.writes.run(async (trx) => {
    const now = ctx.clock();
    const nowIso = now.toISOString();
    await podMember(trx, podId, userId);
    const row = await trx
      .selectFrom('reviewer_actions')
      .selectAll()
      .where('id', '=', actionId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw new HttpError(404, 'not-found', `no action ${actionId} on this reviewer`);
    if (row.lifted_at)
      throw new HttpError(409, 'already-lifted', `action ${actionId} was lifted at ${row.lifted_at}`);
    const lead = await leadName(trx, row.created_by);
    const before = actionOf(row, lead);
    const body = JSON.parse(row.body) as ActionBody;
    if (row.kind === 'recertification')
      for (const cert of body.certificates ?? []) {
        await trx
          .updateTable('certificates')
          .set({ due_at: cert.dueAt })
          .where('id', '=', cert.id)
          .where('due_at', '=', row.created_at)
          .execute();
        const restored = await trx
          .selectFrom('certificates')
          .selectAll()
          .where('id', '=', cert.id)
          .executeTakeFirst();
        if (restored) await recordTrainingChanges(trx, [{ userId, doc: certificateDoc(restored) }], nowIso);
      }
    const lifted = { ...row, lifted_at: nowIso, lifted_by: caller.userId };
    await trx
      .updateTable('reviewer_actions')
      .set({ lifted_at: nowIso, lifted_by: caller.userId })
      .where('id', '=', actionId)
      .execute();
    const action = actionOf(lifted, lead);
    await tell(trx, action, nowIso);
    await audit(trx, {
      actor: caller,
      action: `reviewer.${row.kind}.lift`,
      targetType: 'user',
      targetId: userId,
      before,
      after: action,
      at: now,
    });
    return action;
  });
}

/**
 * The reviewer read a coaching note: recorded once (a repeat answers the same, changes nothing).
 * Only the reviewer it is for may acknowledge it (404 for anyone else, like an unknown id).
 */
export async function acknowledgeAction(
  ctx: AppContext,
  caller: Caller,
  actionId: string,
): Promise<ReviewerAction> {
  return ctx.writes.run(async (trx) => {
    const nowIso = ctx.clock().toISOString();
    const row = await trx
      .selectFrom('reviewer_actions')
      .selectAll()
      .where('id', '=', actionId)
      .where('user_id', '=', caller.userId)
      .executeTakeFirst();
    if (!row) throw new HttpError(404, 'not-found', `no coaching note ${actionId} for you`);
    const lead = await leadName(trx, row.created_by);
    if (row.acknowledged_at) return actionOf(row, lead);
    const acknowledged = { ...row, acknowledged_at: nowIso };
    await trx
      .updateTable('reviewer_actions')
      .set({ acknowledged_at: nowIso })
      .where('id', '=', actionId)
      .execute();
    const action = actionOf(acknowledged, lead);
    // the reviewer's other workstations learn it too
    await tell(trx, action, nowIso);
    return action;
  });
}

/** The restriction in force on a user, if any: the production projects left open to them. */
export async function activeRestriction(
  db: Db,
  userId: string,
): Promise<{ projects: string[]; words: string } | null> {
  const row = await db
    .selectFrom('reviewer_actions as a')
    .innerJoin('users as l', 'l.id', 'a.created_by')
    .select(['a.body', 'l.display_name'])
    .where('a.user_id', '=', userId)
    .where('a.kind', '=', 'restriction')
    .where('a.lifted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const body = JSON.parse(row.body) as ActionBody;
  return { projects: body.projects ?? [], words: actionWords('restriction', body, row.display_name, false) };
}
