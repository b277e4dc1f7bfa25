import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Change } from '../../shared/sync';
import { RESTRICTED } from '../../shared/lead';
import { CERTIFICATION_REQUIRED } from '../../shared/sync';
import type { Task } from '../../shared/task';
import type { AppContext, Caller } from '../context';
import { chunks } from '../db/batch';
import type { Dialect } from '../db/dialect';
import type { Database, ProjectsTable } from '../db/schema';
import { HttpError } from '../errors';
import { ProjectAccess, unknownProject } from '../auth/project-access';
import { OccupancyDelta } from '../db/occupancy';
import { recordRevokes } from '../db/revoke-changes';
import { activeRestriction } from '../quality/actions';
import { CertificateGate, requiredSkills } from '../training/gate';
import { settleExpiredAttempts } from '../training/settle';
import { drawGold, goldSlots, mixIn } from '../quality/gold-lease';
import { qualitySettings } from '../quality/settings';
import { dayCapReached } from './wellbeing';

type Trx = Transaction<Database> | Kysely<Database>;

/** Tasks never carry meta (gold answers, secrets) to anyone but an admin. */
export function taskForCaller(task: Task, caller: Pick<Caller, 'role'>): Task {
  if (caller.role === 'admin' || task.meta === undefined) return task;
  const { meta: _meta, ...rest } = task;
  return rest;
}

/**
 * Lazily expires overdue leases: they return to the pool, and their old holders get a 'revoke' change
 * (their late work is still accepted, flagged 'lease-expired' or 'lease-lost').
 */
export async function expireLeases(trx: Trx, nowIso: string): Promise<number> {
  const overdue = await trx
    .selectFrom('leases')
    .select(['id', 'task_id', 'user_id'])
    .where('state', '=', 'active')
    .where('expires_at', '<=', nowIso)
    .execute();
  const occupancy = new OccupancyDelta();
  for (const l of overdue) occupancy.leaseMoved(l.task_id, 'active', 'expired');
  await recordRevokes(trx, overdue, 'lease-expired', nowIso);
  for (const batch of chunks(overdue)) {
    await trx
      .updateTable('leases')
      .set({ state: 'expired' })
      .where(
        'id',
        'in',
        batch.map((l) => l.id),
      )
      .execute();
  }
  await occupancy.apply(trx);
  return overdue.length;
}

/**
 * Tasks with a free rating slot (occupancy < ratings_required, kept up to date by every write):
 * read through the partial index tasks_open, so a lease call costs what it takes, not the project size.
 */
function leasableTasks(trx: Trx, projectId: string) {
  return trx
    .selectFrom('tasks as t')
    .where('t.project_id', '=', projectId)
    .where(sql<boolean>`t.occupancy < t.ratings_required and t.revoked_at is null`);
}

/**
 * How many tasks of the project are open. SQLite is told to use the partial index: its statistics
 * (from the ANALYZE after an import) still say every task is open, and a count with no ORDER BY
 * then scanned the whole table (45 ms at 50,000 tasks, on every lease call) instead of reading the
 * few open entries. PostgreSQL's planner picks the partial index by itself.
 */
export function openTasksCount(dialect: Dialect, projectId: string) {
  const from = dialect === 'sqlite' ? sql`tasks as t indexed by tasks_open` : sql`tasks as t`;
  return sql<{ n: number }>`select count(*) as n from ${from}
    where t.project_id = ${projectId} and t.occupancy < t.ratings_required and t.revoked_at is null`;
}

export type LeaseResult = { leased: number; open: number };

/** how many of `want` slots the project's gold rate gives to gold this time */
async function goldWanted(trx: Trx, projectId: string, want: number): Promise<number> {
  const settings = await qualitySettings(trx, projectId);
  return settings ? goldSlots(want, settings.gold_rate) : 0;
}

/**
 * Leases the given tasks to the caller: each task's token rises (fencing older holders), a lease
 * row and an assignment change (the task as the caller may see it) per task, in the given order.
 * Tasks withdrawn meanwhile are left out. Regular work, gold and QA re-ratings all come through
 * here, so their assignments cannot differ in shape.
 */
export async function grantLeases(
  trx: Trx,
  ctx: AppContext,
  caller: Caller,
  project: Pick<Selectable<ProjectsTable>, 'id' | 'lease_hours'>,
  picked: readonly { id: string; body: string }[],
  now: Date,
): Promise<{ leased: number; granted: { id: string; token: number }[] }> {
  const nowIso = now.toISOString();
  const sign = await ctx.leaseProofs.signer(trx);
  const expiresAt = new Date(now.getTime() + project.lease_hours * 3600_000).toISOString();
  const granted: { id: string; token: number }[] = [];
  for (let batch of chunks(picked)) {
    // the token fences older holders: it only ever grows
    const tokens = await trx
      .updateTable('tasks')
      .set((eb) => ({ lease_counter: eb('lease_counter', '+', 1), occupancy: eb('occupancy', '+', 1) }))
      .where(
        'id',
        'in',
        batch.map((t) => t.id),
      )
      // re-checked on the row itself: on PostgreSQL a withdrawal that committed while this lease
      // waited for the row lock must win (the task's text must not be handed out after it)
      .where('revoked_at', 'is', null)
      .returning(['id', 'lease_counter'])
      .execute();
    const tokenOf = new Map(tokens.map((t) => [t.id, t.lease_counter]));
    batch = batch.filter((t) => tokenOf.has(t.id));
    if (batch.length === 0) continue;
    for (const t of batch) granted.push({ id: t.id, token: tokenOf.get(t.id)! });
    await trx
      .insertInto('leases')
      .values(
        batch.map((t) => ({
          task_id: t.id,
          project_id: project.id,
          user_id: caller.userId,
          token: tokenOf.get(t.id)!,
          expires_at: expiresAt,
          state: 'active' as const,
          created_at: nowIso,
        })),
      )
      .execute();
    await trx
      .insertInto('changes')
      .values(
        batch.map((t) => {
          const change: Change = {
            type: 'assignment',
            projectId: project.id,
            task: taskForCaller(JSON.parse(t.body) as Task, caller),
            leaseToken: tokenOf.get(t.id)!,
            leaseExpiresAt: expiresAt,
            leaseProof: sign(t.id, tokenOf.get(t.id)!, caller.userId),
          };
          return {
            user_id: caller.userId,
            type: 'assignment',
            payload: JSON.stringify(change),
            created_at: nowIso,
          };
        }),
      )
      .execute();
  }
  return { leased: granted.length, granted };
}

async function leaseInProject(
  trx: Trx,
  ctx: AppContext,
  caller: Caller,
  project: Selectable<ProjectsTable>,
  now: Date,
  utcOffsetMinutes: number,
): Promise<LeaseResult> {
  if (ctx.sdb.dialect === 'postgres') {
    // serialises leasing per project, so two reviewers never both take a task's last slot
    await trx.selectFrom('projects').select('id').where('id', '=', project.id).forUpdate().execute();
  }
  const held = await trx
    .selectFrom('leases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', caller.userId)
    .where('project_id', '=', project.id)
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();
  const want = project.batch_size - Number(held.n);
  // past the project's daily cap on sensitive tasks (docs/wellbeing.md) the batch leaves them out
  const noSensitive = want > 0 && (await dayCapReached(trx, caller.userId, project, now, utcOffsetMinutes));
  // silent gold (docs/lead-workspace.md): some slots go to gold tasks, mixed in at random positions,
  // only into a batch that has regular work too (a batch of gold alone would give it away)
  const drawn =
    want > 0 ? await drawGold(trx, project.id, caller.userId, await goldWanted(trx, project.id, want)) : [];
  const gold = noSensitive ? drawn.filter((g) => (JSON.parse(g.body) as Task).sensitive !== true) : drawn;
  const regular =
    want <= 0
      ? []
      : await leasableTasks(trx, project.id)
          .$if(noSensitive, (q) => q.where('t.sensitive', '=', 0))
          .where('t.id', 'not in', (eb) =>
            eb
              .selectFrom('leases')
              .select('task_id')
              .where('user_id', '=', caller.userId)
              .where('project_id', '=', project.id)
              .where('state', '<>', 'expired'),
          )
          .where('t.id', 'not in', (eb) =>
            eb
              .selectFrom('labels')
              .select('task_id')
              .where('user_id', '=', caller.userId)
              .where('project_id', '=', project.id),
          )
          .select(['t.id', 't.body'])
          .orderBy('t.seq')
          .limit(want - gold.length)
          .execute();
  const picked = regular.length ? mixIn(regular, gold) : [];
  const { leased } = await grantLeases(trx, ctx, caller, project, picked, now);
  const open = await openTasksCount(ctx.sdb.dialect, project.id).execute(trx);
  // tasks too: with statistics that still say every task is open, PostgreSQL counted the open ones
  // by reading the whole table (50 ms at 50,000 tasks) instead of the partial index
  for (const table of ['leases', 'changes', 'tasks'] as const) ctx.stats.changed(table, leased);
  return { leased, open: Number(open.rows[0]?.n ?? 0) };
}

/**
 * POST /v1/sync/lease: leases up to the project's batch size (minus what the caller already holds).
 * Without a project id, the first project (by creation) with open work the caller may do.
 * A project that requires certificates (docs/training.md) refuses a non-admin who lacks one that
 * holds: 403 certification-required naming the exam to take. Without a project id such projects are
 * passed over, and the refusal comes only when the caller is left with nothing to do (nothing
 * leased, no lease held) while one of them has open work: the workstation shows its words. A
 * trainee lacking a certificate a production project asks for gets the same refusal (never its work).
 * Refusals are thrown after the transaction commits: expired leases and attempts settled stay so.
 * Past a project's daily cap on sensitive tasks the batch leaves them out (docs/wellbeing.md): the
 * day is the reviewer's, from `utcOffsetMinutes` (UTC when not given).
 */
export async function leaseTasks(
  ctx: AppContext,
  caller: Caller,
  projectId?: string,
  options: { utcOffsetMinutes?: number } = {},
): Promise<LeaseResult> {
  const outcome = await ctx.writes.run(async (trx): Promise<LeaseResult | HttpError> => {
    const now = ctx.clock();
    ctx.stats.changed('changes', await expireLeases(trx, now.toISOString()));
    // an exam whose time ran out is graded first: the certificate it earns may open a project below
    await settleExpiredAttempts(trx, ctx, caller.userId, now);
    let query = trx.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id');
    if (projectId) query = query.where('id', '=', projectId);
    // another pod's project is left out as if it did not exist (docs/server.md, "Projects and pods")
    const access = await ProjectAccess.load(trx, caller);
    const projects = (await query.execute()).filter((p) => access.allows(p));
    if (projectId && projects.length === 0) return unknownProject(projectId);
    // a lead's restriction (docs/lead-workspace.md): production work only from the projects it names
    const restriction = caller.role === 'admin' ? null : await activeRestriction(trx, caller.userId);
    const restrictedOut = (p: Selectable<ProjectsTable>) =>
      restriction !== null && p.production !== 0 && !restriction.projects.includes(p.id);
    if (projectId && projects.length && restrictedOut(projects[0]!))
      return new HttpError(403, RESTRICTED, restriction!.words);
    const allowed = projects.filter(
      (p) => (caller.role !== 'trainee' || p.production === 0) && !restrictedOut(p),
    );
    // a trainee is never given production work, but one that asks for a certificate points them at
    // its exam (the way in: passing an exam created with --promote makes them a reviewer)
    const examFirst = projects.filter(
      (p) => !allowed.includes(p) && !restrictedOut(p) && requiredSkills(p.requires_certs).length,
    );
    const gate = await CertificateGate.load(trx, caller, now, [...allowed, ...examFirst]);
    const refusal = async (project: Selectable<ProjectsTable>) =>
      new HttpError(403, CERTIFICATION_REQUIRED, await gate.message(gate.missing(project)!));
    if (projectId && allowed.length === 0) {
      const asked = examFirst.find((p) => gate.missing(p) !== null);
      if (asked) return refusal(asked);
      return new HttpError(403, 'forbidden', 'trainees may not take production work');
    }
    const certified = allowed.filter((p) => gate.missing(p) === null);
    if (projectId && certified.length === 0) return refusal(allowed[0]!);
    let last: LeaseResult = { leased: 0, open: 0 };
    for (const project of certified) {
      last = await leaseInProject(trx, ctx, caller, project, now, options.utcOffsetMinutes ?? 0);
      if (last.leased > 0 || projectId) return last;
    }
    const passedOver = [...allowed, ...examFirst].filter((p) => gate.missing(p) !== null);
    const restrictedAway = projects.filter(restrictedOut);
    if (passedOver.length + restrictedAway.length === 0 || (await holdsAnyLease(trx, caller.userId)))
      return last;
    for (const project of passedOver) {
      const open = await openTasksCount(ctx.sdb.dialect, project.id).execute(trx);
      if (Number(open.rows[0]?.n ?? 0) > 0) return refusal(project);
    }
    for (const project of restrictedAway) {
      const open = await openTasksCount(ctx.sdb.dialect, project.id).execute(trx);
      if (Number(open.rows[0]?.n ?? 0) > 0) return new HttpError(403, RESTRICTED, restriction!.words);
    }
    return last;
  });
  if (outcome instanceof HttpError) throw outcome;
  return outcome;
}

/** the caller has leased work to do (leases_user_project index) */
async function holdsAnyLease(trx: Trx, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('leases')
    .select('id')
    .where('user_id', '=', userId)
    .where('state', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
