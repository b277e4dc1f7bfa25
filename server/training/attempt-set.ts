import type { Transaction } from 'kysely';
import type { TrainingItem } from '../../shared/training/key';
import { chunks } from '../db/batch';
import type { Dialect } from '../db/dialect';
import type { Database, ServerRole } from '../db/schema';
import { servedItems, type AttemptRow, type ExamRow } from './docs';
import { gradeAttempt, type Graded, type StoredAnswer } from './grade';
import { bundledGuidelineVersion } from './guidelines';
import type { ServedItem } from './serve';

type Trx = Transaction<Database>;

/**
 * Exam attempts with everything grading them needs, loaded in a few set queries: the attempts
 * (locked on PostgreSQL, so concurrent pushes and settlements of one attempt queue), their answers,
 * exams, the bank items they served and their owners' roles.
 */
export class AttemptSet {
  readonly attempts = new Map<string, AttemptRow & { items: ServedItem[] }>();
  /** attempt id -> served task id -> answer */
  readonly answers = new Map<string, Map<string, StoredAnswer>>();
  readonly exams = new Map<string, ExamRow>();
  private readonly bankBodies = new Map<string, string>();
  private readonly bankParsed = new Map<string, TrainingItem>();
  private readonly roles = new Map<string, ServerRole>();
  /** guideline id -> its current version ('' when none is known) */
  private readonly versions = new Map<string, string>();

  private constructor() {}

  static async load(trx: Trx, dialect: Dialect, attemptIds: Iterable<string>): Promise<AttemptSet> {
    const set = new AttemptSet();
    const ids = [...new Set(attemptIds)].sort();
    for (const batch of chunks(ids)) {
      // with the owner's role (a pass may promote): one round trip fewer per push on PostgreSQL
      let query = trx
        .selectFrom('exam_attempts as a')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .selectAll('a')
        .select('u.role')
        .where('a.id', 'in', batch)
        .orderBy('a.id');
      if (dialect === 'postgres') query = query.forUpdate('a');
      for (const { role, ...row } of await query.execute()) {
        set.attempts.set(row.id, { ...row, items: servedItems(row) });
        set.roles.set(row.user_id, role);
      }
    }
    const found = [...set.attempts.keys()];
    if (found.length === 0) return set;
    for (const batch of chunks(found))
      for (const a of await trx
        .selectFrom('exam_answers')
        .select(['attempt_id', 'task_id', 'label', 'late', 'score', 'feedback'])
        .where('attempt_id', 'in', batch)
        .execute())
        set.answerMap(a.attempt_id).set(a.task_id, {
          taskId: a.task_id,
          label: a.label,
          late: a.late === 1,
          score: a.score,
          feedback: a.feedback,
        });
    const attempts = [...set.attempts.values()];
    const examIds = [...new Set(attempts.map((a) => a.exam_id))];
    // with the published version of each exam's guideline (a certificate records it)
    for (const { published, ...exam } of await trx
      .selectFrom('exams as e')
      .leftJoin('config_docs as c', (join) =>
        join.onRef('c.id', '=', 'e.guideline_id').on('c.kind', '=', 'guideline'),
      )
      .selectAll('e')
      .select('c.version as published')
      .where('e.id', 'in', examIds)
      .execute()) {
      set.exams.set(exam.id, exam);
      set.versions.set(exam.guideline_id, published ?? bundledGuidelineVersion(exam.guideline_id) ?? '');
    }
    const itemIds = [...new Set(attempts.flatMap((a) => a.items.map((i) => i.itemId)))];
    for (const batch of chunks(itemIds))
      for (const row of await trx
        .selectFrom('exam_items')
        .select(['exam_id', 'item_id', 'body'])
        .where('exam_id', 'in', examIds)
        .where('item_id', 'in', batch)
        .execute())
        set.bankBodies.set(`${row.exam_id} ${row.item_id}`, row.body);
    return set;
  }

  answerMap(attemptId: string): Map<string, StoredAnswer> {
    let map = this.answers.get(attemptId);
    if (!map) this.answers.set(attemptId, (map = new Map()));
    return map;
  }

  /** a bank item of an exam, parsed once */
  bankItem(examId: string, itemId: string): TrainingItem | undefined {
    const key = `${examId} ${itemId}`;
    let item = this.bankParsed.get(key);
    if (!item) {
      const body = this.bankBodies.get(key);
      if (body === undefined) return undefined;
      this.bankParsed.set(key, (item = JSON.parse(body) as TrainingItem));
    }
    return item;
  }

  /** every served item has an answer */
  complete(attemptId: string): boolean {
    const attempt = this.attempts.get(attemptId)!;
    return attempt.items.every((i) => this.answerMap(attemptId).has(i.task.id));
  }

  /** Grades these attempts (pure; writeGrades stores the result). */
  grade(attemptIds: readonly string[], nowIso: string): Graded[] {
    const attempts = attemptIds.map((id) => this.attempts.get(id)!);
    return attempts.map(({ items, ...attempt }) => {
      const exam = this.exams.get(attempt.exam_id)!;
      const bank = new Map<string, TrainingItem>();
      for (const item of items) {
        const found = this.bankItem(exam.id, item.itemId);
        if (found) bank.set(item.itemId, found);
      }
      return gradeAttempt({
        exam,
        attempt,
        served: items,
        bank,
        answers: this.answerMap(attempt.id),
        role: this.roles.get(attempt.user_id) ?? 'reviewer',
        guidelineVersion: this.versions.get(exam.guideline_id) ?? '',
        nowIso,
      });
    });
  }
}
