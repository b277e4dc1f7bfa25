import type { SubmitOutcome } from '../../shared/contract';
import { formatIssues } from '../../shared/contract';
import { runChecks, submitAllowed, type CheckPolicy } from '../../shared/checks';
import { Label, type CheckId, type WorkState } from '../../shared/label';
import { formatLabelProblems, labelProblems, type LabelProblem } from '../../shared/label-validity';
import { orderSeed, presentationOrder } from '../../shared/order';
import { capMessage } from '../../shared/wellbeing';
import {
  type EscalationReason,
  type QueueItem,
  type QueueSummary,
  type SkipReason,
  type TaskBundle,
  guidelineRef,
} from '../../shared/queue';
import type { Task, TaskKind, TaskState } from '../../shared/task';
import type { Config } from './config';
import { ServiceError } from './errors';
import type { Identity } from './identity';
import { buildLabel, workFromLabel, workReferenceIssues } from './labels';
import type { Settings } from './settings';
import type { Store } from './store';
import type { Outbox } from './sync/outbox';
import type { Wellbeing } from './wellbeing';

export interface QueueDeps {
  store: Store;
  settings: Settings;
  config: Config;
  identity: Identity;
  clock: () => Date;
  /** leased (server) tasks also get an outbox mutation, in the same transaction as the change */
  outbox?: Outbox;
  /** after a submit, skip or escalation has committed: lets sync push soon, never blocks */
  onLocalWork?: () => void;
  /** exposure caps and the break reminder's stretch (docs/wellbeing.md); absent: neither */
  wellbeing?: Pick<Wellbeing, 'capped' | 'touch'>;
}

interface TaskRow {
  seq: number;
  id: string;
  body: string;
  state: TaskState;
}

interface LabelRow {
  body: string;
  work: string | null;
}

const CURRENT_TASK = 'currentTaskId';

/**
 * The policy submit applies: the configured one, except that a rationale the template requires
 * always blocks. The template is authoritative on the server too (shared/label-validity.ts), which
 * refuses such a label whatever it acknowledged, so a warning here would only defer the refusal.
 */
const submitPolicy = (configured: CheckPolicy): CheckPolicy => ({ ...configured, rationaleMissing: 'block' });
const isOpen = (state: TaskState) => state === 'pending' || state === 'draft';

/**
 * QA re-rating tasks (local table qa_tasks) are leased like any task but are not the user's
 * production queue: every queue read leaves them out (the QA service lists and opens them).
 */
const NOT_QA = 'id NOT IN (SELECT task_id FROM qa_tasks)';
/**
 * how many QA tasks are in a state, to take off the trigger-kept counts. CROSS JOIN keeps SQLite's
 * planner on the few QA rows (a plain join let it walk every task of the state: 100+ ms at 100k)
 */
const QA_IN_STATE =
  'SELECT count(*) FROM qa_tasks q CROSS JOIN tasks t ON t.id = q.task_id WHERE t.state = c.state';

/**
 * the task (tasks.id) is leased in one of the projects of the JSON array @capped: one primary-key
 * look-up per sensitive row (an IN over the project's leases built the whole list each call: 17 ms)
 */
const IN_CAPPED_PROJECT = `EXISTS (SELECT 1 FROM leases l WHERE l.task_id = tasks.id
  AND l.project_id IN (SELECT value FROM json_each(@capped)))`;

function prepareStatements({ stmt }: Store) {
  return {
    taskById: stmt('SELECT seq, id, body, state FROM tasks WHERE id = ?'),
    firstInState: stmt(
      `SELECT seq, id, body, state FROM tasks WHERE state = ? AND ${NOT_QA} ORDER BY seq LIMIT 1`,
    ),
    firstInStateExcept: stmt(
      `SELECT seq, id, body, state FROM tasks WHERE state = ? AND id != ? AND ${NOT_QA} ORDER BY seq LIMIT 1`,
    ),
    // past a project's exposure cap its sensitive tasks wait (docs/wellbeing.md); only used then,
    // so the plain statements above stay what the hot path runs. @capped: JSON array of project ids
    firstInStateCapped: stmt(
      `SELECT seq, id, body, state FROM tasks WHERE state = @state AND id != @except AND ${NOT_QA}
         AND NOT (sensitive = 1 AND ${IN_CAPPED_PROJECT}) ORDER BY seq LIMIT 1`,
    ),
    heldBack: stmt(`SELECT 1 FROM tasks WHERE id = @taskId AND sensitive = 1 AND ${IN_CAPPED_PROJECT}`),
    counts: stmt(`SELECT c.state, c.n - (${QA_IN_STATE}) AS n FROM task_counts c`),
    openCount: stmt(
      `SELECT sum(c.n - (${QA_IN_STATE})) AS n FROM task_counts c WHERE c.state IN ('pending', 'draft')`,
    ),
    // the plain count (as fast as before QA existed) less the few open QA tasks before it
    openBefore: stmt(
      `SELECT (SELECT count(*) FROM tasks WHERE state IN ('pending', 'draft') AND seq < ?)
            - (SELECT count(*) FROM qa_tasks q CROSS JOIN tasks t ON t.id = q.task_id
               WHERE t.state IN ('pending', 'draft') AND t.seq < ?) AS n`,
    ),
    isQa: stmt('SELECT 1 FROM qa_tasks WHERE task_id = ?'),
    firstFewInState: stmt(
      `SELECT seq, id, body, state FROM tasks WHERE state = ? AND ${NOT_QA} ORDER BY seq LIMIT ?`,
    ),
    stateOf: stmt('SELECT state FROM tasks WHERE id = ?'),
    list: stmt(
      `SELECT id, kind, state, prompt_preview, updated_at, reason FROM tasks
       WHERE state = ? AND ${NOT_QA} ORDER BY seq LIMIT ? OFFSET ?`,
    ),
    draftOf: stmt('SELECT work FROM drafts WHERE task_id = ?'),
    labelOf: stmt('SELECT body, work FROM labels WHERE task_id = ?'),
    upsertDraft: stmt(
      `INSERT INTO drafts (task_id, work, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (task_id) DO UPDATE SET work = excluded.work, updated_at = excluded.updated_at`,
    ),
    deleteDraft: stmt('DELETE FROM drafts WHERE task_id = ?'),
    setState: stmt('UPDATE tasks SET state = ?, reason = ?, note = ?, updated_at = ? WHERE id = ?'),
    touch: stmt('UPDATE tasks SET updated_at = ? WHERE id = ?'),
    upsertLabel: stmt(
      `INSERT INTO labels (id, task_id, body, work, revision, created_at, updated_at, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (task_id) DO UPDATE SET body = excluded.body, work = excluded.work,
         revision = excluded.revision, updated_at = excluded.updated_at, synced_at = NULL`,
    ),
  };
}

/**
 * The reviewer's queue: what to work on next, drafts, submit, skip and escalate.
 * Open tasks are 'pending' and 'draft'; submitted labels stay editable.
 */
export class Queue {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(private readonly deps: QueueDeps) {
    this.sql = prepareStatements(deps.store);
  }

  summary(): QueueSummary {
    const counts = Object.fromEntries(
      (this.sql.counts.all() as { state: TaskState; n: number }[]).map((r) => [r.state, r.n]),
    ) as Record<TaskState, number>;
    const current = this.deps.settings.get(CURRENT_TASK);
    const currentState = current ? this.stateOf(current) : undefined;
    return {
      pending: counts.pending ?? 0,
      drafts: counts.draft ?? 0,
      submitted: counts.submitted ?? 0,
      escalated: counts.escalated ?? 0,
      skipped: counts.skipped ?? 0,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      currentTaskId: current && currentState && isOpen(currentState) ? current : null,
    };
  }

  list(state: TaskState, limit: number, offset: number): QueueItem[] {
    const rows = this.sql.list.all(state, limit, offset) as {
      id: string;
      kind: TaskKind;
      state: TaskState;
      prompt_preview: string;
      updated_at: string;
      reason: string | null;
    }[];
    return rows.map((r) => ({
      taskId: r.id,
      kind: r.kind,
      state: r.state,
      promptPreview: r.prompt_preview,
      updatedAt: r.updated_at,
      reason: r.state === 'skipped' || r.state === 'escalated' ? r.reason : null,
    }));
  }

  /**
   * The current task if it is still open, else the first pending one, else the first draft. Past a
   * project's exposure cap its sensitive tasks are passed over (docs/wellbeing.md).
   */
  next(): TaskBundle | null {
    const current = this.deps.settings.get(CURRENT_TASK);
    const capped = this.cappedProjects();
    let row = current ? (this.sql.taskById.get(current) as TaskRow | undefined) : undefined;
    if (!row || !isOpen(row.state) || this.isQa(row.id) || this.heldBack(row.id, capped)) {
      row = this.first('pending', '', capped) ?? this.first('draft', '', capped);
    }
    if (!row) return null;
    this.setCurrent(row.id, current);
    this.deps.wellbeing?.touch(row.id);
    return this.bundle(row);
  }

  /**
   * Read only, nothing becomes current: the task `next()` will open once `after` is done
   * (submitted, skipped or escalated), or without `after` the one it would open now. The screen
   * fetches and prepares it ahead: the next task while the reviewer works, the first one while the
   * queue screen shows.
   */
  peekNext(after?: string): TaskBundle | null {
    const capped = this.cappedProjects();
    if (after === undefined) {
      const current = this.deps.settings.get(CURRENT_TASK);
      const row = current ? (this.sql.taskById.get(current) as TaskRow | undefined) : undefined;
      if (row && isOpen(row.state) && !this.isQa(row.id) && !this.heldBack(row.id, capped))
        return this.bundle(row);
    }
    const except = after ?? '';
    const row = this.first('pending', except, capped) ?? this.first('draft', except, capped);
    return row ? this.bundle(row) : null;
  }

  /** the first task in a state (but `except`), passing over sensitive tasks of capped projects */
  private first(state: 'pending' | 'draft', except: string, capped: string | null): TaskRow | undefined {
    if (capped !== null)
      return this.sql.firstInStateCapped.get({ state, capped, except }) as TaskRow | undefined;
    return (
      except === '' ? this.sql.firstInState.get(state) : this.sql.firstInStateExcept.get(state, except)
    ) as TaskRow | undefined;
  }

  /** JSON array of the projects whose exposure caps are reached, or null when none is */
  private cappedProjects(): string | null {
    const capped = this.deps.wellbeing?.capped();
    return capped && capped.size ? JSON.stringify([...capped.keys()]) : null;
  }

  private heldBack(taskId: string, capped: string | null): boolean {
    return capped !== null && this.sql.heldBack.get({ taskId, capped }) !== undefined;
  }

  /** Opens any task: resume a draft, reopen a skipped or escalated one, re-edit a submitted label. */
  open(taskId: string): TaskBundle {
    const row = this.row(taskId);
    // a submitted label stays editable; a sensitive task not yet done waits while its cap holds
    if (row.state !== 'submitted') {
      const reached = this.deps.wellbeing?.capped();
      if (reached?.size && this.heldBack(row.id, JSON.stringify([...reached.keys()])))
        throw new ServiceError('conflict', capMessage([...reached.values()][0]!));
    }
    this.setCurrent(row.id, this.deps.settings.get(CURRENT_TASK));
    this.deps.wellbeing?.touch(row.id);
    return this.bundle(row);
  }

  /**
   * Autosave. An open, skipped or escalated task becomes a draft; a submitted task
   * keeps its label (and state) until it is submitted again.
   */
  saveDraft(taskId: string, work: WorkState): { savedAt: string } {
    const savedAt = this.now();
    this.deps.store.light(() => {
      const state = this.stateOf(taskId);
      if (!state) throw notFound(taskId);
      this.sql.upsertDraft.run(taskId, JSON.stringify(work), savedAt);
      if (state === 'submitted' || state === 'draft') this.sql.touch.run(savedAt, taskId);
      else this.sql.setState.run('draft', null, null, savedAt, taskId);
    });
    this.deps.wellbeing?.touch(taskId);
    return { savedAt };
  }

  /** Re-runs the submit checks, then stores the label durably (fsync) and returns the next task. */
  submit(taskId: string, work: WorkState, acknowledgedWarnings: readonly CheckId[]): SubmitOutcome {
    const row = this.row(taskId);
    const task = JSON.parse(row.body) as Task;
    const { config, identity } = this.deps;
    const taxonomy = config.taxonomy(task.tags);
    const template = config.template(task.rationale);
    const referenceIssues = workReferenceIssues(task, work, taxonomy, template);
    if (referenceIssues.length) {
      throw new ServiceError('invalid-input', `the work does not match task "${taskId}"`, referenceIssues);
    }
    const seed = orderSeed(identity.reviewerId, task.id);
    const presentedOrder = presentationOrder(
      task.responses.map((r) => r.id),
      seed,
    );
    const checks = runChecks({
      task,
      work,
      presentedOrder,
      template,
      policy: submitPolicy(config.checkPolicy),
    });
    if (!submitAllowed(checks, acknowledgedWarnings)) return { ok: false, checks };

    const now = this.now();
    const label = this.deps.store.durable(() => {
      const previous = this.labelOf(taskId);
      const built = buildLabel({
        task,
        work,
        presentedOrder,
        orderSeed: seed,
        template,
        taxonomy,
        guideline: config.guideline(task.guideline),
        checks,
        identity,
        previous: previous?.label ?? null,
        now,
      });
      // the label the server will get: refused here for anything the server would refuse
      const problems = labelIssues(built, { task, taxonomy, template });
      if (problems.length) {
        throw new ServiceError(
          'invalid-input',
          `the label for task "${taskId}" is not valid: ${formatLabelProblems(problems)}`,
          problems,
        );
      }
      this.sql.upsertLabel.run(
        built.id,
        taskId,
        JSON.stringify(built),
        JSON.stringify(work),
        built.revision,
        built.createdAt,
        built.updatedAt,
      );
      this.sql.setState.run('submitted', null, null, now, taskId);
      this.sql.deleteDraft.run(taskId);
      this.deps.outbox?.enqueue(taskId, { type: 'label.submit', label: built });
      return built;
    });
    this.deps.onLocalWork?.();
    this.deps.wellbeing?.touch(taskId);
    return { ok: true, labelId: label.id, next: this.next() };
  }

  skip(taskId: string, reason: SkipReason, note: string, work?: WorkState): { next: TaskBundle | null } {
    this.setAside(taskId, 'skipped', reason, note, work);
    return { next: this.next() };
  }

  escalate(
    taskId: string,
    reason: EscalationReason,
    note: string,
    work?: WorkState,
  ): { next: TaskBundle | null } {
    this.setAside(taskId, 'escalated', reason, note, work);
    return { next: this.next() };
  }

  /** Skip or escalate: records reason and note durably and keeps the reviewer's draft. */
  private setAside(
    taskId: string,
    state: 'skipped' | 'escalated',
    reason: SkipReason | EscalationReason,
    note: string,
    work: WorkState | undefined,
  ): void {
    const now = this.now();
    this.deps.store.durable(() => {
      const current = this.stateOf(taskId);
      if (!current) throw notFound(taskId);
      if (current === 'submitted') {
        throw new ServiceError(
          'conflict',
          `task "${taskId}" was already submitted; edit and resubmit its label instead of ${state === 'skipped' ? 'skipping' : 'escalating'} it`,
        );
      }
      if (work) this.sql.upsertDraft.run(taskId, JSON.stringify(work), now);
      this.sql.setState.run(state, reason, note, now, taskId);
      const outbox = this.deps.outbox;
      if (!outbox) return;
      if (state === 'skipped') {
        outbox.enqueue(taskId, { type: 'task.skip', reason: reason as SkipReason, note });
      } else {
        const draft = this.sql.draftOf.get(taskId) as { work: string } | undefined;
        outbox.enqueue(taskId, {
          type: 'task.escalate',
          reason: reason as EscalationReason,
          note,
          work: draft ? (JSON.parse(draft.work) as WorkState) : null,
        });
      }
    });
    this.deps.onLocalWork?.();
  }

  private bundle(row: TaskRow): TaskBundle {
    const { config, identity } = this.deps;
    const task = JSON.parse(row.body) as Task;
    const seed = orderSeed(identity.reviewerId, task.id);
    const presentedOrder = presentationOrder(
      task.responses.map((r) => r.id),
      seed,
    );
    const draft = this.sql.draftOf.get(task.id) as { work: string } | undefined;
    const stored = this.labelOf(task.id);
    let work: WorkState | null = null;
    if (draft) work = JSON.parse(draft.work) as WorkState;
    else if (stored) work = stored.work ?? workFromLabel(stored.label, presentedOrder);

    const open = (this.sql.openCount.get() as { n: number | null }).n ?? 0;
    const index = isOpen(row.state) ? (this.sql.openBefore.get(row.seq, row.seq) as { n: number }).n + 1 : 0;
    return {
      task,
      state: row.state,
      presentedOrder,
      orderSeed: seed,
      work,
      label: stored?.label ?? null,
      taxonomy: config.taxonomy(task.tags),
      template: config.template(task.rationale),
      guideline: guidelineRef(config.guideline(task.guideline)),
      checkPolicy: submitPolicy(config.checkPolicy),
      position: { index, open },
    };
  }

  /**
   * Read only, like peekNext: the task next() will open once `after` and every task of `also` are
   * done. The screen prepares the task after the next one too (during two tasks, not one: four
   * 2,000-word answers take longer to parse than a quick judgement takes). Exposure caps are not
   * consulted: a task a cap holds back is at most prepared, never opened from here.
   */
  peekAhead(after: string, also: readonly string[]): TaskBundle | null {
    const done = new Set([after, ...also]);
    const firstOf = (state: 'pending' | 'draft') =>
      (this.sql.firstFewInState.all(state, done.size + 1) as TaskRow[]).find((r) => !done.has(r.id));
    const row = firstOf('pending') ?? firstOf('draft');
    return row ? this.bundle(row) : null;
  }

  /** a QA re-rating task: not part of the production queue */
  isQa(taskId: string): boolean {
    return this.sql.isQa.get(taskId) !== undefined;
  }

  /**
   * A QA task on the labeling screen: its draft or submitted work, the user's own seeded order,
   * and no place in the production queue (the current task stays what it was).
   */
  openQa(taskId: string): TaskBundle {
    return { ...this.bundle(this.row(taskId)), position: { index: 0, open: 0 } };
  }

  private row(taskId: string): TaskRow {
    const row = this.sql.taskById.get(taskId) as TaskRow | undefined;
    if (!row) throw notFound(taskId);
    return row;
  }

  private stateOf(taskId: string): TaskState | undefined {
    return (this.sql.stateOf.get(taskId) as { state: TaskState } | undefined)?.state;
  }

  private labelOf(taskId: string): { label: Label; work: WorkState | null } | null {
    const row = this.sql.labelOf.get(taskId) as LabelRow | undefined;
    if (!row) return null;
    return {
      label: JSON.parse(row.body) as Label,
      work: row.work ? (JSON.parse(row.work) as WorkState) : null,
    };
  }

  private setCurrent(taskId: string, previous: string | undefined): void {
    if (taskId !== previous) this.deps.store.light(() => this.deps.settings.set(CURRENT_TASK, taskId));
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

/** The label's schema (lengths, formats), then its fit to the task, taxonomy and template. */
function labelIssues(label: Label, context: Parameters<typeof labelProblems>[1]): LabelProblem[] {
  const parsed = Label.safeParse(label);
  if (!parsed.success) return formatIssues(parsed.error).map((i) => ({ ...i, path: `label.${i.path}` }));
  return labelProblems(label, context);
}

function notFound(taskId: string): ServiceError {
  return new ServiceError('not-found', `no task with id "${taskId}"`);
}
