import type { Kysely, Transaction } from 'kysely';
import type { WorkState } from '../../shared/label';
import type { EscalationItem, InboxPage, InboxQuery, Ruling } from '../../shared/lead';
import type { EscalationReason } from '../../shared/queue';
import type { Task } from '../../shared/task';
import type { Caller } from '../context';
import type { Database, EscalationRulingsTable } from '../db/schema';
import { HttpError } from '../errors';
import { projectVisible, visibleProject } from '../auth/project-access';
import { taskForCaller } from '../sync/lease';

type Db = Kysely<Database> | Transaction<Database>;
const HOUR = 3600_000;

/** The rows an inbox item and a ruling are built from: the event, its task, reviewer and ruling. */
function escalationRows(db: Db) {
  return db
    .selectFrom('task_events as e')
    .innerJoin('tasks as t', 't.id', 'e.task_id')
    .innerJoin('projects as p', 'p.id', 'e.project_id')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .leftJoin('escalation_rulings as r', 'r.escalation_id', 'e.id')
    .leftJoin('users as lu', 'lu.id', 'r.lead_user_id')
    .leftJoin('labels as rl', 'rl.id', 'r.label_id')
    .select([
      'e.id',
      'e.task_id',
      'e.project_id',
      'e.user_id',
      'e.reason',
      'e.note',
      'e.work',
      'e.lease_token',
      'e.created_at',
      't.body as task_body',
      't.revoked_at as task_revoked_at',
      'p.escalation_target_hours',
      'p.lease_hours',
      'u.username',
      'u.display_name',
      'u.pod_id',
      'r.decision',
      'r.explanation',
      'r.guidance',
      'r.ruled_at',
      'r.label_id',
      'lu.display_name as lead_name',
      'rl.body as ruling_label',
    ])
    .where('e.type', '=', 'escalate');
}
export type EscalationRow = Awaited<ReturnType<ReturnType<typeof escalationRows>['executeTakeFirstOrThrow']>>;

/** The ruling of a row as the reviewer gets it (null while open). */
export function rulingOf(row: EscalationRow): Ruling | null {
  if (row.decision === null || row.ruled_at === null) return null;
  return {
    escalationId: String(row.id),
    taskId: row.task_id,
    decision: row.decision,
    explanation: row.explanation ?? '',
    guidance: row.guidance ?? null,
    label: row.ruling_label ? (JSON.parse(row.ruling_label) as Ruling['label']) : null,
    ruledAt: row.ruled_at,
    lead: row.lead_name ?? '',
  };
}

/** A ruling from what was just written (the feed change and the route's answer). */
export function rulingFrom(
  row: Pick<
    EscalationRulingsTable,
    'escalation_id' | 'task_id' | 'decision' | 'explanation' | 'guidance' | 'ruled_at'
  >,
  label: Ruling['label'],
  lead: string,
): Ruling {
  return {
    escalationId: String(row.escalation_id),
    taskId: row.task_id,
    decision: row.decision,
    explanation: row.explanation,
    guidance: row.guidance,
    label,
    ruledAt: row.ruled_at,
    lead,
  };
}

function itemOf(row: EscalationRow, now: Date): EscalationItem {
  const ruling = rulingOf(row);
  const end = ruling ? Date.parse(ruling.ruledAt) : now.getTime();
  const ageHours = Math.max(0, (end - Date.parse(row.created_at)) / HOUR);
  const targetHours = Number(row.escalation_target_hours);
  return {
    id: String(row.id),
    projectId: row.project_id,
    task: taskForCaller(JSON.parse(row.task_body) as Task, { role: 'lead' }),
    reason: row.reason as EscalationReason,
    note: row.note,
    work: row.work ? (JSON.parse(row.work) as WorkState) : null,
    reviewer: { id: row.user_id, username: row.username, displayName: row.display_name },
    escalatedAt: row.created_at,
    ageHours: Math.round(ageHours * 100) / 100,
    targetHours,
    // an open escalation past its target stands out; a ruled one was late if ruled after it
    overdue: ageHours > targetHours,
    ruling,
  };
}

/**
 * A pod's escalations (those of its members), open or ruled, oldest or newest first, keyset-paged
 * on the escalation id. Escalations of withdrawn tasks are left out (nothing to rule on).
 */
export async function podInbox(
  db: Db,
  podId: string,
  query: InboxQuery,
  now: Date,
  /** who reads it: escalations on projects they may not see are left out (admins see all) */
  viewer?: Pick<Caller, 'role' | 'userId' | 'podId'>,
): Promise<InboxPage> {
  const newest = query.order === 'newest';
  let q = escalationRows(db)
    .where('u.pod_id', '=', podId)
    .where('t.revoked_at', 'is', null)
    .where('r.escalation_id', query.state === 'open' ? 'is' : 'is not', null)
    .orderBy('e.id', newest ? 'desc' : 'asc')
    .limit(query.limit + 1);
  if (query.after !== undefined) q = q.where('e.id', newest ? '<' : '>', Number(query.after));
  if (viewer) q = q.where(projectVisible(viewer, 'e.project_id'));
  const rows = await q.execute();
  const items = rows.slice(0, query.limit).map((r) => itemOf(r, now));
  return { items, next: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

/**
 * One escalation a caller may act on: a lead's own pod's, any for an admin. Another pod's answers
 * as an unknown one (404), so a lead learns nothing about it.
 */
export async function escalationFor(db: Db, caller: Caller, id: string): Promise<EscalationRow> {
  const row = await escalationRows(db).where('e.id', '=', Number(id)).executeTakeFirst();
  if (
    !row ||
    (caller.role !== 'admin' && (caller.podId === null || row.pod_id !== caller.podId)) ||
    // a project the lead may not see (taken from their pod since): as an unknown escalation
    !(await visibleProject(db, caller, row.project_id))
  )
    throw new HttpError(404, 'not-found', `no escalation ${id} in your pod`);
  return row;
}
