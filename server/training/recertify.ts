import type { Transaction } from 'kysely';
import { majorVersion } from '../../shared/training/standing';
import type { Database } from '../db/schema';
import { certificateDoc, recordTrainingChanges } from './docs';

/**
 * Re-certification (docs/training.md): once guideline `guidelineId` is published at `version`,
 * every live certificate (not revoked, not expired, not already due) of a skill whose exams follow
 * that guideline, earned under an older major version of it, falls due: it stays valid for the grace
 * period (the longest `grace_days` of those exams), and its holder is told through the feed.
 * A minor version ("2.0" -> "2.1") changes nothing. Runs in the publishing transaction.
 * Returns how many certificates fell due.
 */
export async function markDueForRecertification(
  trx: Transaction<Database>,
  guidelineId: string,
  version: string,
  now: Date,
): Promise<number> {
  const exams = await trx
    .selectFrom('exams')
    .select(['skill', 'grace_days'])
    .where('guideline_id', '=', guidelineId)
    .execute();
  if (exams.length === 0) return 0;
  const graceDays = new Map<string, number>();
  for (const e of exams) graceDays.set(e.skill, Math.max(graceDays.get(e.skill) ?? 0, e.grace_days));
  const nowIso = now.toISOString();
  const major = majorVersion(version);
  const certificates = (
    await trx
      .selectFrom('certificates')
      .selectAll()
      .where('skill', 'in', [...graceDays.keys()])
      .where('guideline_id', '=', guidelineId)
      .where('due_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .execute()
  ).filter((c) => majorVersion(c.guideline_version) < major);
  const due = certificates.map((c) => ({
    ...c,
    due_at: new Date(now.getTime() + graceDays.get(c.skill)! * 86_400_000).toISOString(),
  }));
  for (const c of due)
    await trx.updateTable('certificates').set({ due_at: c.due_at }).where('id', '=', c.id).execute();
  await recordTrainingChanges(
    trx,
    due.map((c) => ({ userId: c.user_id, doc: certificateDoc(c) })),
    nowIso,
  );
  return due.length;
}
