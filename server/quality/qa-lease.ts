import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AppContext, Caller } from '../context';
import type { Database, ProjectsTable } from '../db/schema';
import { HttpError } from '../errors';
import { ProjectAccess } from '../auth/project-access';
import { expireLeases, grantLeases, type LeaseResult } from '../sync/lease';
import { sampleForQa } from './sample';
import { hasPermission, qualitySettings } from './settings';

type Trx = Transaction<Database> | Kysely<Database>;

/** QA tasks leased per request at most: a re-rater's batch is small (they have their own queue too). */
export const QA_BATCH = 25;
/** With nothing left to re-rate, a QA lease samples again when the last run is older than this. */
export const QA_RESAMPLE_MS = 15 * 60_000;

/** Who may re-rate which samples: a user with `qa` and an admin any reviewer's; a lead their pod's. */
type Scope = { podId: string | null } | 'all';

async function scopeOf(trx: Trx, caller: Caller): Promise<Scope | null> {
  if (caller.role === 'trainee') return null;
  if (caller.role === 'admin' || (await hasPermission(trx, caller.userId, 'qa'))) return 'all';
  if (caller.role === 'lead') return { podId: caller.podId };
  return null;
}

/**
 * Samples the caller may take now: not re-rated, not held by another re-rater, not of their own
 * label, on a task they never labeled nor hold, not withdrawn; for a lead, of their pod's reviewers.
 */
function available(trx: Trx, projectId: string, caller: Caller, scope: Scope) {
  let q = trx
    .selectFrom('qa_samples as s')
    .innerJoin('tasks as t', 't.id', 's.task_id')
    .where('s.project_id', '=', projectId)
    .where('s.rated_at', 'is', null)
    .where('s.reviewer_id', '<>', caller.userId)
    .where('t.revoked_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('qa_leases as q')
            .innerJoin('leases as l', (j) =>
              j.onRef('l.task_id', '=', 'q.task_id').onRef('l.token', '=', 'q.token'),
            )
            .select('q.sample_id')
            .whereRef('q.sample_id', '=', 's.id')
            .where('l.state', 'in', ['active', 'escalated']),
        ),
      ),
    )
    .where('s.task_id', 'not in', (eb) =>
      eb
        .selectFrom('labels')
        .select('task_id')
        .where('user_id', '=', caller.userId)
        .where('project_id', '=', projectId),
    )
    .where('s.task_id', 'not in', (eb) =>
      eb
        .selectFrom('leases')
        .select('task_id')
        .where('user_id', '=', caller.userId)
        .where('project_id', '=', projectId)
        .where('state', '<>', 'expired'),
    );
  if (scope !== 'all')
    q = q.where('s.reviewer_id', 'in', (eb) =>
      eb
        .selectFrom('users')
        .select('id')
        .where('pod_id', '=', scope.podId ?? sql<string>`null`),
    );
  return q;
}

async function leaseQaInProject(
  trx: Trx,
  ctx: AppContext,
  caller: Caller,
  scope: Scope,
  project: Selectable<ProjectsTable>,
  now: Date,
): Promise<LeaseResult> {
  if (ctx.sdb.dialect === 'postgres')
    await trx.selectFrom('projects').select('id').where('id', '=', project.id).forUpdate().execute();
  const held = await trx
    .selectFrom('qa_leases as q')
    .innerJoin('leases as l', (j) => j.onRef('l.task_id', '=', 'q.task_id').onRef('l.token', '=', 'q.token'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('q.rater_id', '=', caller.userId)
    .where('l.project_id', '=', project.id)
    .where('l.state', '=', 'active')
    .executeTakeFirstOrThrow();
  const want = Math.min(project.batch_size, QA_BATCH) - Number(held.n);
  if (want <= 0) return { leased: 0, open: await openCount(trx, project.id, caller, scope) };
  const pick = () =>
    available(trx, project.id, caller, scope)
      .select(['s.id as sample_id', 's.task_id', 't.body'])
      .orderBy('s.created_at')
      .orderBy('s.position')
      .limit(want * 4)
      .execute();
  let rows = await pick();
  if (rows.length === 0 && (await dueForSampling(trx, project.id, now))) {
    const settings = (await qualitySettings(trx, project.id))!;
    await sampleForQa(trx, project.id, {
      share: settings.qa_share,
      seed: settings.qa_seed,
      now,
      createdBy: caller.userId,
    });
    rows = await pick();
  }
  // one sample per task (a task rated twice may have two samples)
  const seen = new Set<string>();
  const picked = rows.filter((r) => !seen.has(r.task_id) && seen.add(r.task_id)).slice(0, want);
  const { leased, granted } = await grantLeases(
    trx,
    ctx,
    caller,
    project,
    picked.map((r) => ({ id: r.task_id, body: r.body })),
    now,
  );
  const sampleOf = new Map(picked.map((r) => [r.task_id, r.sample_id]));
  if (granted.length)
    await trx
      .insertInto('qa_leases')
      .values(
        granted.map((g) => ({
          task_id: g.id,
          token: g.token,
          sample_id: sampleOf.get(g.id)!,
          rater_id: caller.userId,
          created_at: now.toISOString(),
        })),
      )
      .execute();
  for (const table of ['leases', 'changes', 'tasks'] as const) ctx.stats.changed(table, leased);
  return { leased, open: await openCount(trx, project.id, caller, scope) };
}

async function openCount(trx: Trx, projectId: string, caller: Caller, scope: Scope): Promise<number> {
  const row = await available(trx, projectId, caller, scope)
    .select((eb) => eb.fn.count<number>('s.task_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** a project whose last sampling run is older than QA_RESAMPLE_MS (or that never had one) */
async function dueForSampling(trx: Trx, projectId: string, now: Date): Promise<boolean> {
  const last = await trx
    .selectFrom('qa_runs')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return !last?.at || Date.parse(last.at) <= now.getTime() - QA_RESAMPLE_MS;
}

export type QaLeaseResult = LeaseResult & { qaTasks: { taskId: string; projectId: string }[] };

/**
 * The QA tasks the caller holds (active QA leases, every project): the workstation keeps them
 * apart from its production queue by these ids, and mends its list from them on every QA lease.
 */
async function heldQaTasks(trx: Trx, caller: Caller) {
  const rows = await trx
    .selectFrom('qa_leases as q')
    .innerJoin('leases as l', (j) => j.onRef('l.task_id', '=', 'q.task_id').onRef('l.token', '=', 'q.token'))
    .select(['l.task_id as taskId', 'l.project_id as projectId'])
    .where('q.rater_id', '=', caller.userId)
    .where('l.state', '=', 'active')
    .orderBy('q.created_at')
    .orderBy('l.task_id')
    .execute();
  return rows;
}

/**
 * POST /v1/sync/lease {queue: 'qa'}: QA re-rating tasks as ordinary assignments (same change, same
 * lease, same label.submit), from the project's samples the caller may re-rate (docs/lead-workspace.md,
 * "Blind QA re-rating"). Without a project id, the first project (by creation) with QA configured
 * that has something for the caller. A user without a lead role, an admin role or the `qa`
 * permission is refused. The answer names every QA task the caller holds (`qaTasks`).
 */
export async function leaseQa(ctx: AppContext, caller: Caller, projectId?: string): Promise<QaLeaseResult> {
  const outcome = await ctx.writes.run(async (trx): Promise<QaLeaseResult | HttpError> => {
    const now = ctx.clock();
    ctx.stats.changed('changes', await expireLeases(trx, now.toISOString()));
    const scope = await scopeOf(trx, caller);
    if (!scope)
      return new HttpError(403, 'forbidden', 'QA re-rating is for leads and users with the qa permission');
    let query = trx
      .selectFrom('projects as p')
      .innerJoin('project_quality as q', 'q.project_id', 'p.id')
      .selectAll('p')
      .orderBy('p.created_at')
      .orderBy('p.id');
    if (projectId) query = query.where('p.id', '=', projectId);
    // another pod's project answers as one without QA (docs/server.md, "Projects and pods")
    const access = await ProjectAccess.load(trx, caller);
    const projects = (await query.execute()).filter((p) => access.allows(p));
    if (projectId && projects.length === 0)
      return new HttpError(404, 'not-found', `project "${projectId}" has no QA re-rating`);
    let last: LeaseResult = { leased: 0, open: 0 };
    for (const project of projects) {
      last = await leaseQaInProject(trx, ctx, caller, scope, project, now);
      if (last.leased > 0 || projectId) break;
    }
    return { ...last, qaTasks: await heldQaTasks(trx, caller) };
  });
  if (outcome instanceof HttpError) throw outcome;
  return outcome;
}
