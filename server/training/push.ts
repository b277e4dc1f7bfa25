import type { Insertable, Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import { formatLabelProblems, labelProblems } from '../../shared/label-validity';
import type { MutationOutcome, RejectReason, TrainingMutation } from '../../shared/sync';
import type { Task } from '../../shared/task';
import type { CourseDoc } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { scoreItem } from '../../shared/training/score';
import type { AppContext, Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, ExamAnswersTable, SandboxAnswersTable } from '../db/schema';
import { docIdsOf, LabelDocs } from '../sync/label-config';
import { boundTimes } from '../sync/label-times';
import { AttemptSet } from './attempt-set';
import { CalibrationBatch, type AnswerChecks, type CalibrationMutation } from './calibration-push';
import { answerFeedback, isLate, writeGrades } from './grade';
import { ShadowBatch, type ShadowMutation } from './shadow-push';

type Trx = Transaction<Database>;
type ExamMutation = TrainingMutation & { ref: { kind: 'exam' } };
type SandboxMutation = TrainingMutation & { ref: { kind: 'sandbox' } };

const accepted = (m: TrainingMutation): MutationOutcome => ({
  mutationId: m.id,
  status: 'accepted',
  reason: null,
  message: null,
  flagged: null,
});
const rejected = (m: TrainingMutation, reason: RejectReason, message: string): MutationOutcome => ({
  mutationId: m.id,
  status: 'rejected',
  reason,
  message,
  flagged: null,
});

/** the same words for an attempt that does not exist and one of someone else: no existence oracle */
const NOT_YOURS = 'no such exam attempt of yours';
/** tasks served by the server name no taxonomy or template of a project: their own, else 'default' */
const NO_PROJECT = { taxonomy_id: null, template_id: null };

/** The ids of a training answer must agree: the mutation's, its ref's and its label's. */
function idsDisagree(m: TrainingMutation): string | null {
  if (m.ref.taskId !== m.taskId) return `ref.taskId: "${m.ref.taskId}" but taskId is "${m.taskId}"`;
  if (m.label.taskId !== m.taskId) return `label.taskId: "${m.label.taskId}" but taskId is "${m.taskId}"`;
  return null;
}

/**
 * The training answers of one push group (docs/training.md): loaded together, applied in order in
 * memory, written back in `flush`, inside the push's own transaction, so an answer is taken exactly
 * once like a label (a re-sent push is a no-op before it gets here; a second answer to an item is
 * refused `closed`). Exam answers are scored on arrival against the key in the served ids; an
 * attempt is graded in `flush` once every item has an answer or its time is up (grade.ts). Sandbox
 * answers are re-scored here: the server's score is stored, never the client's.
 */
export class TrainingBatch {
  private attempts: AttemptSet | null = null;
  private courses = new Map<string, { version: string; items: Map<string, TrainingItem> }>();
  private docs = new LabelDocs();
  private answers: ExamAnswersTable[] = [];
  private sandbox: Insertable<SandboxAnswersTable>[] = [];
  /** attempts that took an answer in this batch */
  private touched = new Set<string>();
  /** calibration answers: their own applier, sharing the checks every answer gets */
  private calibration: CalibrationBatch;
  /** shadowing answers: scored against a certified reviewer's label */
  private shadow: ShadowBatch;

  constructor(
    private readonly trx: Trx,
    private readonly ctx: AppContext,
    private readonly nowIso: string,
  ) {
    const checks: AnswerChecks = {
      idsDisagree,
      problems: (m, task) => this.problems(m, task),
      stored: (label, caller, deviceId) => this.stored(label, caller, deviceId, null),
      rejected,
      accepted,
    };
    this.calibration = new CalibrationBatch(trx, ctx.sdb.dialect, nowIso, checks);
    this.shadow = new ShadowBatch(trx, nowIso, checks, (task) =>
      Object.fromEntries(
        (this.docs.contextOf(task, NO_PROJECT).template?.fields ?? []).map((f) => [f.id, f.label]),
      ),
    );
  }

  async load(mutations: TrainingMutation[]): Promise<void> {
    if (mutations.length === 0) return;
    const attemptIds = new Set<string>();
    const courseIds = new Set<string>();
    for (const m of mutations)
      if (m.ref.kind === 'exam') attemptIds.add(m.ref.attemptId);
      else if (m.ref.kind === 'sandbox') courseIds.add(m.ref.courseId);
    this.attempts = await AttemptSet.load(this.trx, this.ctx.sdb.dialect, attemptIds);
    await this.calibration.load(
      mutations.filter((m): m is CalibrationMutation => m.ref.kind === 'calibration'),
    );
    await this.shadow.load(mutations.filter((m): m is ShadowMutation => m.ref.kind === 'shadow'));
    for (const batch of chunks([...courseIds]))
      for (const row of await this.trx
        .selectFrom('courses')
        .select(['id', 'version', 'body'])
        .where('id', 'in', batch)
        .execute()) {
        const doc = JSON.parse(row.body) as CourseDoc;
        const items = new Map(doc.modules.flatMap((mod) => mod.items.map((i) => [i.task.id, i] as const)));
        this.courses.set(row.id, { version: row.version, items });
      }
    // the taxonomies and templates the answers are checked against (one query, as for labels)
    const ids = { taxonomy: new Set<string>(), template: new Set<string>() };
    const add = (task: Task) => {
      const docIds = docIdsOf(task, NO_PROJECT);
      ids.taxonomy.add(docIds.taxonomy);
      ids.template.add(docIds.template);
    };
    for (const a of this.attempts.attempts.values()) for (const item of a.items) add(item.task);
    for (const course of this.courses.values()) for (const item of course.items.values()) add(item.task);
    for (const task of this.calibration.tasks()) add(task);
    for (const task of this.shadow.tasks()) add(task);
    if (ids.taxonomy.size) await this.docs.load(this.trx, ids);
  }

  apply(m: TrainingMutation, caller: Caller, deviceId: string): MutationOutcome {
    switch (m.ref.kind) {
      case 'exam':
        return this.applyExam(m as ExamMutation, caller, deviceId);
      case 'sandbox':
        return this.applySandbox(m as SandboxMutation, caller, deviceId);
      case 'calibration':
        return this.calibration.apply(m as CalibrationMutation, caller, deviceId);
      case 'shadow':
        return this.shadow.apply(m as ShadowMutation, caller, deviceId);
    }
  }

  /** the label as the server keeps it: the session's identity, times bounded by what it knows */
  private stored(label: Label, caller: Caller, deviceId: string, since: string | null): Label {
    const { times } = boundTimes(label, this.nowIso, since);
    return { ...label, reviewerId: caller.userId, deviceId, ...times };
  }

  private problems(m: TrainingMutation, task: Task): MutationOutcome | null {
    const problems = labelProblems(m.label, this.docs.contextOf(task, NO_PROJECT));
    return problems.length ? rejected(m, 'invalid', formatLabelProblems(problems)) : null;
  }

  private applyExam(m: ExamMutation, caller: Caller, deviceId: string): MutationOutcome {
    const set = this.attempts!;
    const attempt = set.attempts.get(m.ref.attemptId);
    if (!attempt || attempt.user_id !== caller.userId) return rejected(m, 'forbidden', NOT_YOURS);
    const disagree = idsDisagree(m);
    if (disagree) return rejected(m, 'invalid', disagree);
    const item = attempt.items.find((i) => i.task.id === m.taskId);
    if (!item) return rejected(m, 'invalid', `ref.taskId: the attempt has no item "${m.taskId}"`);
    if (attempt.state === 'graded')
      return rejected(m, 'closed', 'the attempt was graded before this answer arrived');
    const answers = set.answerMap(attempt.id);
    if (answers.has(m.taskId)) return rejected(m, 'closed', 'answers are locked once submitted');
    const invalid = this.problems(m, item.task);
    if (invalid) return invalid;
    const bank = set.bankItem(attempt.exam_id, item.itemId);
    if (!bank) throw new Error(`exam ${attempt.exam_id} lost bank item ${item.itemId}`);
    const label = this.stored(m.label, caller, deviceId, attempt.started_at);
    const feedback = answerFeedback(item, bank, label);
    const late = isLate(attempt.deadline, this.nowIso);
    const score = late ? 0 : feedback.score;
    const stored = {
      taskId: m.taskId,
      late,
      score,
      label: JSON.stringify(label),
      feedback: JSON.stringify(feedback),
    };
    answers.set(m.taskId, stored);
    this.answers.push({
      attempt_id: attempt.id,
      task_id: m.taskId,
      user_id: caller.userId,
      device_id: deviceId,
      label: stored.label,
      received_at: this.nowIso,
      late: late ? 1 : 0,
      score,
      feedback: stored.feedback,
    });
    this.touched.add(attempt.id);
    return accepted(m);
  }

  private applySandbox(m: SandboxMutation, caller: Caller, deviceId: string): MutationOutcome {
    const course = this.courses.get(m.ref.courseId);
    if (!course) return rejected(m, 'invalid', `ref.courseId: no course "${m.ref.courseId}"`);
    const disagree = idsDisagree(m);
    if (disagree) return rejected(m, 'invalid', disagree);
    const item = course.items.get(m.taskId);
    if (!item)
      return rejected(m, 'invalid', `ref.taskId: course "${m.ref.courseId}" has no item "${m.taskId}"`);
    const invalid = this.problems(m, item.task);
    if (invalid) return invalid;
    const label = this.stored(m.label, caller, deviceId, null);
    const feedback = scoreItem(item.key, label);
    this.sandbox.push({
      user_id: caller.userId,
      device_id: deviceId,
      course_id: m.ref.courseId,
      course_version: course.version,
      task_id: m.taskId,
      attempt: m.attempt,
      score: feedback.score,
      correct: feedback.correct ? 1 : 0,
      active_ms: label.activeMs,
      label: JSON.stringify(label),
      received_at: this.nowIso,
    });
    return accepted(m);
  }

  async flush(): Promise<void> {
    for (const batch of chunks(this.answers))
      await this.trx.insertInto('exam_answers').values(batch).execute();
    for (const batch of chunks(this.sandbox))
      await this.trx.insertInto('sandbox_answers').values(batch).execute();
    await this.calibration.flush();
    this.ctx.stats.changed('shadow_answers', await this.shadow.flush());
    this.ctx.stats.changed('exam_answers', this.answers.length);
    this.ctx.stats.changed('sandbox_answers', this.sandbox.length);
    const set = this.attempts;
    if (!set) return;
    // graded now: every item answered, or the time is up (what is missing counts 0)
    const due = [...this.touched].filter((id) => {
      const a = set.attempts.get(id)!;
      return a.state === 'open' && (set.complete(id) || isLate(a.deadline, this.nowIso));
    });
    if (due.length) await writeGrades(this.trx, set.grade(due, this.nowIso), this.nowIso);
    this.ctx.stats.changed('changes', due.length);
  }
}
