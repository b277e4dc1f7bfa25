import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../shared/lead';
import type { Caller } from '../context';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/** Who acted: a signed-in lead or admin, or the operator at the server's CLI. */
export type AuditActor = Pick<Caller, 'userId' | 'role'> | 'operator';
export const OPERATOR: AuditActor = 'operator';

export type AuditInput = {
  actor: AuditActor;
  /** dotted verb: 'escalation.rule', 'user.add', 'export.project', … */
  action: string;
  targetType: string;
  targetId: string;
  /** the state before and after (JSON-serialisable; undefined = none) */
  before?: unknown;
  after?: unknown;
  at: Date | string;
};

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * Appends one entry to the audit log (docs/lead-workspace.md, "Audit log"). Call it with the
 * transaction that makes the change, so the entry exists exactly when the change does. Nothing
 * ever updates or deletes these rows.
 */
export async function audit(db: Db, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: typeof entry.at === 'string' ? entry.at : entry.at.toISOString(),
      actor_user_id: entry.actor === 'operator' ? null : entry.actor.userId,
      actor_role: entry.actor === 'operator' ? 'operator' : entry.actor.role,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      before: json(entry.before),
      after: json(entry.after),
    })
    .execute();
}

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** Entries at or after `since` (ISO), after id `after`, oldest first: keyset-paged on id. */
export async function auditPage(
  db: Db,
  query: { since?: string; after?: number; limit: number },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id').limit(query.limit);
  if (query.since !== undefined) q = q.where('at', '>=', query.since);
  if (query.after !== undefined) q = q.where('id', '>', query.after);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: parse(r.before),
    after: parse(r.after),
  }));
}

/** Every entry since `since`, a page at a time (constant memory): for `audit export`. */
export async function* iterateAudit(db: Db, since?: string, pageSize = 1000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const page = await auditPage(db, { since, after, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}

/**
 * A date the audit accepts for `since`: YYYY-MM-DD (midnight UTC) or an ISO-8601 datetime; returns
 * the ISO form, or null when it is neither.
 */
export function sinceIso(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return null;
  const t = Date.parse(/T/.test(text) ? text : `${text}T00:00:00.000Z`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
