import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { MetricsReport } from '../../shared/metrics/report';
import type { Database } from '../db/schema';
import { roundDoc, roundMembers } from '../training/calibration';
import type { StoredCalibrationAnswer } from '../training/calibration';
import type { LabelRange } from './read-labels';

/**
 * Revealed calibration rounds of the pods (revealed within the range): per round, the mean over
 * the members who answered of their agreement with the other members, as each saw it at reveal
 * (server/training/calibration.ts roundDoc: one code path with the workstation's reveal).
 */
export async function calibrationResults(
  db: Kysely<Database>,
  podIds: readonly string[],
  range: LabelRange,
): Promise<MetricsReport['calibration']> {
  if (podIds.length === 0) return [];
  let query = db
    .selectFrom('calibration_rounds')
    .selectAll()
    .where('pod_id', 'in', podIds)
    .where('revealed_at', 'is not', null);
  if (range.since !== null) query = query.where('revealed_at', '>=', range.since);
  if (range.until !== null) query = query.where('revealed_at', '<', range.until);
  const rounds = await query.orderBy('revealed_at').orderBy('id').execute();
  const results: MetricsReport['calibration'] = [];
  for (const row of rounds) {
    const answers: StoredCalibrationAnswer[] = (
      await db
        .selectFrom('calibration_answers')
        .select(['task_id', 'user_id', 'label'])
        .where('round_id', '=', row.id)
        .execute()
    ).map((a) => ({ taskId: a.task_id, userId: a.user_id, label: JSON.parse(a.label) as Label }));
    const members = roundMembers(row);
    const answered = members.filter((m) => answers.some((a) => a.userId === m));
    const agreements = answered.flatMap((member) => {
      const agreement = roundDoc(row, member, answers).reveal?.agreement ?? null;
      return agreement === null ? [] : [agreement];
    });
    results.push({
      roundId: row.id,
      podId: row.pod_id,
      title: row.title,
      revealedAt: row.revealed_at!,
      meanAgreement: agreements.length ? agreements.reduce((a, b) => a + b, 0) / agreements.length : null,
      members: members.length,
      answered: answered.length,
    });
  }
  return results;
}
