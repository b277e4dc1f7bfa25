import type { Kysely, Transaction } from 'kysely';
import { dayStartAtOffset, type ProjectWellbeing } from '../../shared/wellbeing';
import type { Caller } from '../context';
import { ProjectAccess } from '../auth/project-access';
import type { Database } from '../db/schema';

type Trx = Transaction<Database> | Kysely<Database>;

/**
 * The server's side of the exposure caps (docs/wellbeing.md). The count comes from the labels the
 * workstation pushed (each label's client time, bounded by the server): nothing to keep in step, a
 * label pushed late counts on the day it was made, and a reinstalled workstation, which starts with
 * an empty local count, still gets no sensitive tasks past the day cap.
 */

/** distinct sensitive tasks the user labelled in the project since `sinceIso` (labels' client time) */
export async function sensitiveLabelledSince(
  trx: Trx,
  userId: string,
  projectId: string,
  sinceIso: string,
): Promise<number> {
  const row = await trx
    .selectFrom('labels as l')
    .innerJoin('tasks as t', 't.id', 'l.task_id')
    .select((eb) => eb.fn.count<number>('l.task_id').distinct().as('n'))
    .where('l.user_id', '=', userId)
    .where('l.project_id', '=', projectId)
    .where('l.created_at', '>=', sinceIso)
    .where('t.sensitive', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Whether the user has reached the project's daily cap on sensitive tasks, the day being the
 * reviewer's local one (their UTC offset, from the lease request; UTC when not given).
 */
export async function dayCapReached(
  trx: Trx,
  userId: string,
  project: { id: string; sensitive_cap_per_day: number | null },
  now: Date,
  utcOffsetMinutes: number,
): Promise<boolean> {
  if (project.sensitive_cap_per_day === null) return false;
  const since = dayStartAtOffset(now, utcOffsetMinutes).toISOString();
  return (
    (await sensitiveLabelledSince(trx, userId, project.id, since)) >= Number(project.sensitive_cap_per_day)
  );
}

/** the wellbeing settings of every project the caller may see that has any (the lease reply's list) */
export async function wellbeingForCaller(
  db: Trx,
  caller: Pick<Caller, 'role' | 'userId' | 'podId'>,
): Promise<ProjectWellbeing[]> {
  const rows = await db
    .selectFrom('projects')
    .select([
      'id',
      'pod_scoped',
      'sensitive_cap_per_day',
      'sensitive_cap_per_session',
      'sensitive_break_minutes',
    ])
    .where((eb) =>
      eb.or([
        eb('sensitive_cap_per_day', 'is not', null),
        eb('sensitive_cap_per_session', 'is not', null),
        eb('sensitive_break_minutes', 'is not', null),
      ]),
    )
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const access = await ProjectAccess.load(db, caller);
  const num = (v: number | null) => (v === null ? null : Number(v));
  return rows
    .filter((p) => access.allows(p))
    .map((p) => ({
      projectId: p.id,
      perDay: num(p.sensitive_cap_per_day),
      perSession: num(p.sensitive_cap_per_session),
      breakAfterMinutes: num(p.sensitive_break_minutes),
    }));
}
