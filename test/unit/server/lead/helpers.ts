import type { AuditEntry } from '../../../../shared/lead';
import type { Change } from '../../../../shared/sync';
import { leaseAndPull, type ServerEnv, type Session } from '../helpers';

/** Per session: the next mutation id its device pushes (ids are per device and gap-free). */
const nextIds = new WeakMap<Session, number>();

/**
 * `who` leases from `projectId` and escalates `taskId` (the first task leased when not given) with
 * a note and some work so far. Returns the escalation's id (read back from the database), the task
 * and the lease token.
 */
export async function escalate(
  e: ServerEnv,
  s: Session,
  opts: { projectId?: string; taskId?: string; note?: string } = {},
) {
  const { tokens } = await leaseAndPull(e, s, opts.projectId ?? 'prod');
  const taskId =
    opts.taskId ?? [...tokens.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0]!;
  const id = nextIds.get(s) ?? 1;
  nextIds.set(s, id + 1);
  const res = await e.call(s, 'POST', '/v1/sync/push', {
    deviceId: s.deviceId,
    mutations: [
      {
        id,
        type: 'task.escalate',
        taskId,
        leaseToken: tokens.get(taskId)!,
        reason: 'guideline-gap',
        note: opts.note ?? 'Both answers quote a source I cannot check.',
        work: {
          ranks: {},
          rankingTouched: false,
          pairwise: { choice: 'A', strength: null },
          tags: [],
          rationale: {},
          activeMs: 1200,
        },
      },
    ],
  });
  if (res.status !== 200 || res.json.outcomes[0].status !== 'accepted')
    throw new Error(`escalate: ${res.status} ${JSON.stringify(res.json)}`);
  const row = await e.sdb.db
    .selectFrom('task_events')
    .select('id')
    .where('type', '=', 'escalate')
    .where('task_id', '=', taskId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return { escalationId: String(row.id), taskId, token: tokens.get(taskId)! };
}

/** Every change in `s`'s feed from the start. */
export async function feed(e: ServerEnv, s: Session): Promise<Change[]> {
  const res = await e.call(s, 'POST', '/v1/sync/pull', {
    deviceId: s.deviceId,
    cursor: null,
    epoch: null,
    limit: 2000,
  });
  if (res.status !== 200) throw new Error(`pull: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.changes as Change[];
}

/** audit entries (oldest first) as the admin endpoint gives them */
export async function auditEntries(e: ServerEnv, admin: Session, action?: string) {
  const res = await e.call(admin, 'GET', '/v1/admin/audit?limit=1000');
  if (res.status !== 200) throw new Error(`audit: ${res.status} ${JSON.stringify(res.json)}`);
  const entries = (res.json.entries as AuditEntry[]).map((x) => ({
    ...x,
    // tests read into before and after freely
    before: x.before as Record<string, unknown> | null,
    after: x.after as Record<string, unknown> | null,
  }));
  return action ? entries.filter((x) => x.action === action) : entries;
}
