import { z } from 'zod';
import { AuditPage, LEAD_PATHS } from '../../../shared/lead';
import type { AuditInput, AuditView } from '../../../shared/lead-workstation';

/** GET /v1/admin/users, as far as the audit screen needs it */
const Users = z.object({
  users: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })),
});

type Get = <T>(path: string, params: Record<string, string>, reply: z.ZodType<T>) => Promise<T>;

/**
 * A page of the audit log for the admin's screen (docs/lead-workspace.md, "Audit log"): the
 * server's page, each entry with its actor's (and a user target's) name (the log keeps ids only), resolved from the
 * server's user list so a renamed user reads under their name of today.
 */
export async function auditView(get: Get, input: z.output<typeof AuditInput>): Promise<AuditView> {
  const params: Record<string, string> = { limit: String(input.limit) };
  if (input.since !== undefined) params.since = input.since;
  if (input.after !== undefined) params.after = String(input.after);
  const [page, { users }] = await Promise.all([
    get(LEAD_PATHS.audit, params, AuditPage),
    get('/v1/admin/users', {}, Users),
  ]);
  const names = new Map(users.map((u) => [u.id, u.displayName || u.username]));
  return {
    entries: page.entries.map((e) => ({
      ...e,
      actor: e.actorUserId === null ? null : (names.get(e.actorUserId) ?? e.actorUserId),
      targetName: e.targetType === 'user' ? (names.get(e.targetId) ?? null) : null,
    })),
    next: page.next,
  };
}
