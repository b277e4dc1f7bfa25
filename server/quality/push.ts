import { sql, type Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import { AnswerKey } from '../../shared/training/key';
import { scoreItem } from '../../shared/training/score';
import { chunks } from '../db/batch';
import type { Database, GoldAnswersTable, QaRatingsTable } from '../db/schema';

type Trx = Transaction<Database>;
type QaLease = { sampleId: string; raterId: string };
type StoredRating = Pick<
  QaRatingsTable,
  'id' | 'sample_id' | 'rater_id' | 'revision' | 'revealed_at' | 'received_at'
>;

/** why a re-rating was not taken (the push batch turns it into a rejection) */
export type RatingRefusal = { reason: 'label-conflict' | 'closed'; message: string };

/**
 * The gold and QA side of one push batch (push-batch.ts), loaded with it in one query:
 * - a label on a gold task is stored like any label (same checks, same answer) and graded here
 *   against the task's key into gold_answers (docs/lead-workspace.md, "Silent gold");
 * - work pushed on a QA lease is a blind re-rating: stored in qa_ratings, never in labels.
 */
export class QualityBatch {
  private goldKeys = new Map<string, AnswerKey>();
  /** `${taskId} ${token}` -> the QA sample that lease re-rates */
  private qaLeases = new Map<string, QaLease>();
  /** `${sampleId} ${raterId}` -> the re-rating stored (or taken in this batch) */
  private ratings = new Map<string, StoredRating>();
  private ratingIds = new Map<string, StoredRating>();
  private goldRows = new Map<string, GoldAnswersTable>();
  private ratingRows = new Map<string, QaRatingsTable>();
  private rated = new Set<string>();

  constructor(
    private readonly trx: Trx,
    private readonly nowIso: string,
  ) {}

  async load(taskIds: readonly string[], labelIds: readonly string[]): Promise<void> {
    // one round trip for both: a push pays per statement, not per row
    for (const ids of chunks([...taskIds])) {
      const list = sql.join(ids);
      const { rows } = await sql<{ kind: string; task_id: string; a: string; token: number; rater: string }>`
        select 'g' as kind, task_id, key as a, 0 as token, '' as rater from gold_keys where task_id in (${list})
        union all
        select 'q' as kind, task_id, sample_id as a, token, rater_id as rater from qa_leases where task_id in (${list})`.execute(
        this.trx,
      );
      for (const row of rows) {
        if (row.kind === 'g') this.goldKeys.set(row.task_id, AnswerKey.parse(JSON.parse(row.a)));
        else
          this.qaLeases.set(`${row.task_id} ${Number(row.token)}`, { sampleId: row.a, raterId: row.rater });
      }
    }
    if (this.qaLeases.size === 0) return;
    const sampleIds = [...new Set([...this.qaLeases.values()].map((q) => q.sampleId))];
    for (const batch of chunks(sampleIds))
      for (const r of await this.trx
        .selectFrom('qa_ratings')
        .select(['id', 'sample_id', 'rater_id', 'revision', 'revealed_at', 'received_at'])
        .where((eb) =>
          eb.or([eb('sample_id', 'in', batch), ...(labelIds.length ? [eb('id', 'in', [...labelIds])] : [])]),
        )
        .execute())
        this.remember(r);
  }

  private remember(r: StoredRating) {
    this.ratings.set(`${r.sample_id} ${r.rater_id}`, r);
    this.ratingIds.set(r.id, r);
  }

  /** the QA sample the caller re-rates with work on this lease token, if it is a QA lease of theirs */
  qaSample(taskId: string, token: number, userId: string): string | null {
    const lease = this.qaLeases.get(`${taskId} ${token}`);
    return lease && lease.raterId === userId ? lease.sampleId : null;
  }

  /**
   * Takes a re-rating (a new one, or a higher revision of the caller's own before they opened the
   * comparison); an older or equal revision changes nothing.
   */
  rate(sampleId: string, label: Label, userId: string, deviceId: string): RatingRefusal | null {
    const byId = this.ratingIds.get(label.id);
    if (byId && (byId.sample_id !== sampleId || byId.rater_id !== userId))
      return {
        reason: 'label-conflict',
        message: `label id ${label.id} belongs to another task or reviewer`,
      };
    const mine = this.ratings.get(`${sampleId} ${userId}`);
    if (mine && mine.id !== label.id)
      return {
        reason: 'label-conflict',
        message: `you already re-rated task "${label.taskId}" as label ${mine.id}`,
      };
    if (mine && label.revision <= mine.revision) return null;
    if (mine?.revealed_at)
      return { reason: 'closed', message: 'the comparison has been opened: the blind re-rating is locked' };
    const row: QaRatingsTable = {
      id: label.id,
      sample_id: sampleId,
      task_id: label.taskId,
      rater_id: userId,
      device_id: deviceId,
      label: JSON.stringify(label),
      revision: label.revision,
      received_at: mine?.received_at ?? this.nowIso,
      updated_at: this.nowIso,
      revealed_at: null,
      classification: null,
      classified_at: null,
    };
    this.remember(row);
    this.ratingRows.set(row.id, row);
    this.rated.add(sampleId);
    return null;
  }

  isGold(taskId: string): boolean {
    return this.goldKeys.has(taskId);
  }

  /** Grades a label revision the push batch stored on a gold task (the latest revision counts). */
  grade(projectId: string, label: Label, userId: string): void {
    const key = this.goldKeys.get(label.taskId);
    if (!key) return;
    const feedback = scoreItem(key, label);
    const id = `${label.taskId} ${userId}`;
    this.goldRows.set(id, {
      task_id: label.taskId,
      user_id: userId,
      project_id: projectId,
      label_id: label.id,
      revision: label.revision,
      score: feedback.score,
      correct: feedback.correct ? 1 : 0,
      feedback: JSON.stringify(feedback),
      received_at: this.goldRows.get(id)?.received_at ?? this.nowIso,
      updated_at: this.nowIso,
    });
  }

  async flush(): Promise<void> {
    for (const batch of chunks([...this.goldRows.values()]))
      await this.trx
        .insertInto('gold_answers')
        .values(batch)
        .onConflict((oc) =>
          oc
            .columns(['task_id', 'user_id'])
            .doUpdateSet((eb) => ({
              label_id: eb.ref('excluded.label_id'),
              revision: eb.ref('excluded.revision'),
              score: eb.ref('excluded.score'),
              correct: eb.ref('excluded.correct'),
              feedback: eb.ref('excluded.feedback'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where('gold_answers.revision', '<', (eb) => eb.ref('excluded.revision')),
        )
        .execute();
    for (const batch of chunks([...this.ratingRows.values()]))
      await this.trx
        .insertInto('qa_ratings')
        .values(batch)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            label: eb.ref('excluded.label'),
            revision: eb.ref('excluded.revision'),
            device_id: eb.ref('excluded.device_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    for (const batch of chunks([...this.rated]))
      await this.trx
        .updateTable('qa_samples')
        .set({ rated_at: this.nowIso })
        .where('id', 'in', batch)
        .where('rated_at', 'is', null)
        .execute();
  }
}
