import type { Label, WorkState } from '../../../shared/label';
import type { ItemFeedback } from '../../../shared/training/score';
import type { TrainingMode } from '../../../shared/training/ref';
import type { Store } from '../store';

/** One user's answer to one training item, as stored. */
export interface StoredAnswer {
  state: 'draft' | 'submitted';
  /** null: a sandbox item retried, nothing entered yet */
  work: WorkState | null;
  label: Label | null;
  /** sandbox: the latest try's feedback */
  feedback: ItemFeedback | null;
  /** submitted tries (sandbox: each retry counts; exams and rounds: 0 or 1) */
  attempts: number;
  /** the outbox row carrying the latest submit */
  outboxSeq: number | null;
}

export interface AnswerKeyFields {
  owner: string;
  refKey: string;
  kind: TrainingMode;
  parentId: string;
  taskId: string;
  promptPreview: string;
}

export interface SandboxTry {
  attempt: number;
  score: number;
  correct: boolean;
  activeMs: number;
  label: Label;
}

/** Per item of a course: how its sandbox tries went. */
export interface TryStats {
  attempts: number;
  bestScore: number | null;
  correct: boolean;
}

interface AnswerRow {
  state: 'draft' | 'submitted';
  work: string | null;
  label: string | null;
  feedback: string | null;
  attempts: number;
  outbox_seq: number | null;
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function prepare({ stmt }: Store) {
  return {
    one: stmt(
      `SELECT state, work, label, feedback, attempts, outbox_seq FROM training_answers
       WHERE owner_id = ? AND ref_key = ?`,
    ),
    upsert: stmt(
      `INSERT INTO training_answers (owner_id, ref_key, kind, parent_id, task_id, prompt_preview, state,
                                     work, label, feedback, attempts, outbox_seq, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner_id, ref_key) DO UPDATE SET prompt_preview = excluded.prompt_preview,
         state = excluded.state, work = excluded.work, label = excluded.label,
         feedback = excluded.feedback, attempts = excluded.attempts,
         outbox_seq = excluded.outbox_seq, updated_at = excluded.updated_at`,
    ),
    insertTry: stmt(
      `INSERT INTO training_attempts (owner_id, ref_key, attempt, score, correct, active_ms, label, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    lastTry: stmt('SELECT max(attempt) AS n FROM training_attempts WHERE owner_id = ? AND ref_key = ?'),
    tryStats: stmt(
      `SELECT a.ref_key, count(*) AS attempts, max(a.score) AS best, max(a.correct) AS correct
       FROM training_attempts a JOIN training_answers w ON w.owner_id = a.owner_id AND w.ref_key = a.ref_key
       WHERE a.owner_id = ? AND w.kind = 'sandbox' AND w.parent_id = ?
       GROUP BY a.ref_key`,
    ),
    submittedIn: stmt(
      `SELECT count(*) AS n FROM training_answers
       WHERE owner_id = ? AND kind = ? AND parent_id = ? AND state = 'submitted'`,
    ),
    unsentIn: stmt(
      `SELECT count(*) AS n FROM training_answers a JOIN outbox o ON o.seq = a.outbox_seq
       WHERE a.owner_id = ? AND a.kind = ? AND a.parent_id = ? AND o.state IN ('queued', 'sent')`,
    ),
  };
}

/** Training answers and sandbox tries (local work: never dropped by a reset). */
export class TrainingAnswers {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(store: Store) {
    this.sql = prepare(store);
  }

  get(owner: string, refKey: string): StoredAnswer | null {
    const row = this.sql.one.get(owner, refKey) as AnswerRow | undefined;
    if (!row) return null;
    return {
      state: row.state,
      work: json<WorkState>(row.work),
      label: json<Label>(row.label),
      feedback: json<ItemFeedback>(row.feedback),
      attempts: row.attempts,
      outboxSeq: row.outbox_seq,
    };
  }

  put(at: AnswerKeyFields, answer: StoredAnswer, now: string): void {
    this.sql.upsert.run(
      at.owner,
      at.refKey,
      at.kind,
      at.parentId,
      at.taskId,
      at.promptPreview,
      answer.state,
      answer.work === null ? null : JSON.stringify(answer.work),
      answer.label === null ? null : JSON.stringify(answer.label),
      answer.feedback === null ? null : JSON.stringify(answer.feedback),
      answer.attempts,
      answer.outboxSeq,
      now,
    );
  }

  /** the number the next sandbox try gets (1, 2, ...) */
  nextTry(owner: string, refKey: string): number {
    return ((this.sql.lastTry.get(owner, refKey) as { n: number | null }).n ?? 0) + 1;
  }

  addTry(owner: string, refKey: string, t: SandboxTry, now: string): void {
    this.sql.insertTry.run(
      owner,
      refKey,
      t.attempt,
      t.score,
      t.correct ? 1 : 0,
      t.activeMs,
      JSON.stringify(t.label),
      now,
    );
  }

  /** ref key -> how the tries at that course item went */
  tryStats(owner: string, courseId: string): Map<string, TryStats> {
    const rows = this.sql.tryStats.all(owner, courseId) as {
      ref_key: string;
      attempts: number;
      best: number;
      correct: number;
    }[];
    return new Map(
      rows.map((r) => [r.ref_key, { attempts: r.attempts, bestScore: r.best, correct: r.correct === 1 }]),
    );
  }

  submittedIn(owner: string, kind: TrainingMode, parentId: string): number {
    return (this.sql.submittedIn.get(owner, kind, parentId) as { n: number }).n;
  }

  /** submitted answers whose outbox row has not been acknowledged yet */
  unsentIn(owner: string, kind: TrainingMode, parentId: string): number {
    return (this.sql.unsentIn.get(owner, kind, parentId) as { n: number }).n;
  }
}
