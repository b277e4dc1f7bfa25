import type { Kysely, Transaction } from 'kysely';
import type { PodMember } from '../../shared/lead';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The pod's trainees and reviewers still signed up (not revoked), by username: the people a lead's
 * actions apply to (docs/lead-workspace.md, "Actions on a reviewer"). No lead or admin: they are
 * not acted on.
 */
export async function podMembers(db: Db, podId: string): Promise<PodMember[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role'])
    .where('pod_id', '=', podId)
    .where('role', 'in', ['trainee', 'reviewer'])
    .where('revoked_at', 'is', null)
    .orderBy('username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as PodMember['role'],
  }));
}
