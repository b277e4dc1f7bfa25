import type { Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import type { MutationOutcome, TrainingMutation } from '../../shared/sync';
import type { Task } from '../../shared/task';
import { referenceKey } from '../../shared/training/reference';
import { scoreItem } from '../../shared/training/score';
import type { Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, ShadowAnswersTable } from '../db/schema';
import type { AnswerChecks } from './calibration-push';
import { recordTrainingChanges } from './docs';
import { shadowItems, shadowSetDoc, shadowTitle, type ShadowItem, type ShadowSetRow } from './shadow';

type Trx = Transaction<Database>;
export type ShadowMutation = TrainingMutation & { ref: { kind: 'shadow' } };

/** the same words for a set that does not exist and one of someone else: no existence oracle */
const NOT_YOURS = 'no such shadowing set of yours';

type LoadedSet = ShadowSetRow & { parsed: ShadowItem[]; title: string };
type Answer = { task_id: string; feedback: string; received_at: string };

/**
 * Shadowing answers of one push group (shadow.ts): one per task of a set, scored against the
 * certified reviewer's label (shared/training/reference.ts) in the push's transaction; in `flush`
 * each set that took an answer goes back to its trainee with the references of every answered task.
 */
export class ShadowBatch {
  private sets = new Map<string, LoadedSet>();
  private answers = new Map<string, Answer[]>();
  /** the reference labels, by label id */
  private references = new Map<string, Label>();
  private rows: ShadowAnswersTable[] = [];
  private touched = new Set<string>();

  constructor(
    private readonly trx: Trx,
    private readonly nowIso: string,
    private readonly checks: AnswerChecks,
    /** the rationale field labels of a task's template, to show the reviewer's rationale */
    private readonly fieldLabels: (task: Task) => Record<string, string>,
  ) {}

  async load(mutations: ShadowMutation[]): Promise<void> {
    const ids = [...new Set(mutations.map((m) => m.ref.setId))].sort();
    for (const batch of chunks(ids)) {
      for (const row of await this.trx
        .selectFrom('shadow_sets as s')
        .innerJoin('projects as p', 'p.id', 's.project_id')
        .selectAll('s')
        .select('p.name')
        .where('s.id', 'in', batch)
        .execute()) {
        const { name, ...set } = row;
        this.sets.set(set.id, { ...set, parsed: shadowItems(set), title: shadowTitle(name) });
      }
      for (const a of await this.trx
        .selectFrom('shadow_answers')
        .select(['set_id', 'task_id', 'feedback', 'received_at'])
        .where('set_id', 'in', batch)
        .execute())
        this.answersOf(a.set_id).push(a);
    }
    const labelIds = [...this.sets.values()].flatMap((s) => s.parsed.map((i) => i.labelId));
    for (const batch of chunks(labelIds))
      for (const row of await this.trx
        .selectFrom('labels')
        .select(['id', 'body'])
        .where('id', 'in', batch)
        .execute())
        this.references.set(row.id, JSON.parse(row.body) as Label);
  }

  private answersOf(setId: string): Answer[] {
    let list = this.answers.get(setId);
    if (!list) this.answers.set(setId, (list = []));
    return list;
  }

  /** the tasks of the sets loaded (their answers are checked against their taxonomy and template) */
  tasks(): Task[] {
    return [...this.sets.values()].flatMap((s) => s.parsed.map((i) => i.task));
  }

  apply(m: ShadowMutation, caller: Caller, deviceId: string): MutationOutcome {
    const c = this.checks;
    const set = this.sets.get(m.ref.setId);
    if (!set || set.user_id !== caller.userId) return c.rejected(m, 'forbidden', NOT_YOURS);
    const disagree = c.idsDisagree(m);
    if (disagree) return c.rejected(m, 'invalid', disagree);
    const item = set.parsed.find((i) => i.task.id === m.taskId);
    if (!item) return c.rejected(m, 'invalid', `ref.taskId: the set has no task "${m.taskId}"`);
    const answers = this.answersOf(set.id);
    if (answers.some((a) => a.task_id === m.taskId))
      return c.rejected(m, 'closed', 'answers are locked once submitted');
    const invalid = c.problems(m, item.task);
    if (invalid) return invalid;
    const reference = this.references.get(item.labelId);
    // labels are never deleted; a database edited by hand is the one way to get here
    if (!reference) return c.rejected(m, 'closed', "the reviewer's label of this task is gone");
    const label = c.stored(m.label, caller, deviceId);
    const feedback = scoreItem(referenceKey(reference, this.fieldLabels(item.task)), label);
    const row: ShadowAnswersTable = {
      set_id: set.id,
      task_id: m.taskId,
      user_id: caller.userId,
      device_id: deviceId,
      label: JSON.stringify(label),
      score: feedback.score,
      correct: feedback.correct ? 1 : 0,
      active_ms: label.activeMs,
      feedback: JSON.stringify(feedback),
      received_at: this.nowIso,
    };
    this.rows.push(row);
    answers.push(row);
    this.touched.add(set.id);
    return c.accepted(m);
  }

  async flush(): Promise<number> {
    for (const batch of chunks(this.rows))
      await this.trx.insertInto('shadow_answers').values(batch).execute();
    const changes = [...this.touched].map((id) => {
      const set = this.sets.get(id)!;
      return { userId: set.user_id, doc: shadowSetDoc(set, set.title, this.answersOf(id)) };
    });
    await recordTrainingChanges(this.trx, changes, this.nowIso);
    return this.rows.length;
  }
}
