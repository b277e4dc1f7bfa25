import type { Transaction } from 'kysely';
import type { Guideline } from '../../shared/guideline';
import type { RationaleTemplate } from '../../shared/rationale';
import type { Taxonomy } from '../../shared/taxonomy';
import { audit, type AuditActor } from '../audit/audit';
import { publishConfig } from '../db/admin';
import type { Database } from '../db/schema';
import { markDueForRecertification } from './recertify';

export type ConfigDoc =
  | { kind: 'taxonomy'; doc: Taxonomy }
  | { kind: 'template'; doc: RationaleTemplate }
  | { kind: 'guideline'; doc: Guideline };

/**
 * The one publish path for a taxonomy, template or guideline (the admin's POST /v1/admin/config,
 * a published guideline draft, `guideline publish` at the CLI): stored and broadcast to every
 * workstation (publishConfig), audited as `config.publish` with the version before and after, and,
 * for a guideline's new major version, its certificates called in for re-certification. Runs in
 * the caller's transaction. `after` adds to the audit entry (a draft's id). Returns how many
 * certificates fell due.
 */
export async function publishAudited(
  trx: Transaction<Database>,
  actor: AuditActor,
  doc: ConfigDoc,
  now: Date,
  after: Record<string, unknown> = {},
): Promise<{ certificatesDue: number }> {
  const before = await trx
    .selectFrom('config_docs')
    .select('version')
    .where('kind', '=', doc.kind)
    .where('id', '=', doc.doc.id)
    .executeTakeFirst();
  await publishConfig(trx, doc);
  await audit(trx, {
    actor,
    action: 'config.publish',
    targetType: doc.kind,
    targetId: doc.doc.id,
    before: before ? { version: before.version } : null,
    after: { version: 'version' in doc.doc ? doc.doc.version : '', ...after },
    at: now,
  });
  const certificatesDue =
    doc.kind === 'guideline' ? await markDueForRecertification(trx, doc.doc.id, doc.doc.version, now) : 0;
  return { certificatesDue };
}
