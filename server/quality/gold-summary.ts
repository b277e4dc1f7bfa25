import type { Kysely } from 'kysely';
import type { GoldReviewerSummary } from '../../shared/gold';
import type { Database } from '../db/schema';

/** A pod's graded gold answers per reviewer and project: how many, how many right, mean score. */
export async function goldSummary(db: Kysely<Database>, podId: string): Promise<GoldReviewerSummary[]> {
  const rows = await db
    .selectFrom('gold_answers as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.username', 'g.project_id'])
    .select((eb) => [
      eb.fn.countAll<number>().as('answered'),
      eb.fn.sum<number>('g.correct').as('correct'),
      eb.fn.avg<number>('g.score').as('mean'),
      eb.fn.max('g.received_at').as('last'),
    ])
    .where('u.pod_id', '=', podId)
    .groupBy(['u.username', 'g.project_id'])
    .orderBy('u.username')
    .orderBy('g.project_id')
    .execute();
  return rows.map((r) => ({
    username: r.username,
    projectId: r.project_id,
    answered: Number(r.answered),
    correct: Number(r.correct),
    meanScore: r.mean === null ? null : Math.round(Number(r.mean) * 1e6) / 1e6,
    lastAnsweredAt: r.last ?? null,
  }));
}
