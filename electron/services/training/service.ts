import type { TrainingSubmitOutcome } from '../../../shared/contract';
import type { CheckId, WorkState } from '../../../shared/label';
import type { TaskBundle } from '../../../shared/queue';
import { trainingRefKey, type TrainingRef } from '../../../shared/training/ref';
import { scoreItem } from '../../../shared/training/score';
import type { TrainingOverview } from '../../../shared/training/workstation';
import type { SessionManager } from '../auth/session';
import type { Config } from '../config';
import { ServiceError } from '../errors';
import type { Identity } from '../identity';
import { promptPreview } from '../preview';
import type { Store } from '../store';
import type { HttpPort } from '../sync/http';
import type { Outbox } from '../sync/outbox';
import { answerLabel } from './answer';
import { type AnswerKeyFields, type StoredAnswer, TrainingAnswers } from './answers-store';
import { presented, trainingBundle } from './bundle';
import { TrainingDocs } from './docs-store';
import { type TrainingItemView, findItem, parentOf } from './items';
import { trainingOverview } from './overview';
import { requestAttempt, requestShadowSet } from './start';

export interface TrainingDeps {
  store: Store;
  config: Config;
  identity: Identity;
  outbox: Outbox;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
  /** the account answers are kept under: the signed-in user's id */
  owner: () => string;
  /** after an answer has committed: lets sync push soon, never blocks */
  onLocalWork?: () => void;
}

/**
 * The Training area's services: courses (sandbox, scored here at once, offline), exams (answers
 * locked once submitted, graded on the server), calibration rounds (labeled blind, revealed by
 * the server) and shadowing sets (production tasks; the reviewer's label comes back by the feed). Every submit stores the answer and its outbox row in one fsynced transaction, as
 * production submit does.
 */
export class TrainingService {
  private readonly docs: TrainingDocs;
  private readonly answers: TrainingAnswers;

  constructor(private readonly deps: TrainingDeps) {
    this.docs = new TrainingDocs(deps.store);
    this.answers = new TrainingAnswers(deps.store);
  }

  overview(): TrainingOverview {
    return trainingOverview(this.docs, this.answers, this.deps.owner(), this.deps.clock());
  }

  open(ref: TrainingRef): TaskBundle {
    const owner = this.deps.owner();
    const item = findItem(this.docs, ref);
    return trainingBundle(owner, item, this.answers.get(owner, trainingRefKey(ref)), this.deps.config);
  }

  /** Autosave. Sandbox items can always be drafted (editing a submitted one starts a new try). */
  save(ref: TrainingRef, work: WorkState): { savedAt: string } {
    const owner = this.deps.owner();
    const savedAt = this.now();
    this.deps.store.light(() => {
      const item = findItem(this.docs, ref);
      const answer = this.answers.get(owner, trainingRefKey(ref));
      this.refuseLocked(item, answer);
      this.answers.put(
        this.where(owner, item),
        { ...(answer ?? emptyAnswer()), state: 'draft', work, label: null, feedback: null },
        savedAt,
      );
    });
    return { savedAt };
  }

  /**
   * Submit, with production's checks. Sandbox: scored here against the item's key, the try
   * recorded; exam and calibration: the answer locks. In one durable transaction with the
   * `training.answer` outbox row. An exam answer after the deadline is still taken: the server
   * decides what a late answer is worth (docs/training.md, "Time limits").
   */
  submit(ref: TrainingRef, work: WorkState, acknowledgedWarnings: readonly CheckId[]): TrainingSubmitOutcome {
    const { config, identity, store, outbox } = this.deps;
    const owner = this.deps.owner();
    const refKey = trainingRefKey(ref);
    const item = findItem(this.docs, ref);
    this.refuseLocked(item, this.answers.get(owner, refKey));
    const { seed, order } = presented(owner, item);
    const now = this.now();
    const built = answerLabel({
      task: item.task,
      work,
      presentedOrder: order,
      orderSeed: seed,
      acknowledgedWarnings,
      config,
      identity,
      now,
    });
    if ('checks' in built) return { ok: false, checks: built.checks };
    const { label } = built;

    store.durable(() => {
      // again inside the transaction: a second submit of a locked item is refused, never queued
      this.refuseLocked(item, this.answers.get(owner, refKey));
      const attempt = item.key ? this.answers.nextTry(owner, refKey) : 1;
      const feedback = item.key ? scoreItem(item.key, label) : null;
      if (feedback)
        this.answers.addTry(
          owner,
          refKey,
          { attempt, score: feedback.score, correct: feedback.correct, activeMs: label.activeMs, label },
          now,
        );
      const outboxSeq = outbox.enqueueTraining(item.task.id, {
        type: 'training.answer',
        ref,
        label,
        attempt,
      });
      const answer: StoredAnswer = {
        state: 'submitted',
        work,
        label,
        feedback,
        attempts: attempt,
        outboxSeq,
      };
      this.answers.put(this.where(owner, item), answer, now);
    });
    this.deps.onLocalWork?.();
    return { ok: true, bundle: this.open(ref) };
  }

  /** Sandbox: the item again with nothing entered; the tries so far stay recorded. */
  retry(ref: TrainingRef): TaskBundle {
    if (ref.kind !== 'sandbox')
      throw new ServiceError(
        'conflict',
        'only sandbox items can be retried: exam, calibration and shadowing answers are final',
      );
    const owner = this.deps.owner();
    const item = findItem(this.docs, ref);
    this.deps.store.light(() => {
      const answer = this.answers.get(owner, trainingRefKey(ref));
      if (!answer) return;
      this.answers.put(
        this.where(owner, item),
        { ...answer, state: 'draft', work: null, label: null, feedback: null },
        this.now(),
      );
    });
    return this.open(ref);
  }

  /** Starts an attempt on the server (it draws the items) and keeps it here: answers can go offline. */
  async startExam(examId: string): Promise<{ first: TrainingRef }> {
    const attempt = await requestAttempt(this.deps.session, this.deps.http, examId);
    this.deps.store.durable(() => this.docs.put(attempt, this.now()));
    return { first: { kind: 'exam', attemptId: attempt.id, taskId: attempt.items[0]!.id } };
  }

  /**
   * Shadowing: the trainee's unfinished set of the project (another device may have started it),
   * else a new one the server draws; kept here so the tasks can be labeled offline.
   */
  async startShadow(projectId: string): Promise<{ first: TrainingRef }> {
    const set = await requestShadowSet(this.deps.session, this.deps.http, projectId);
    this.deps.store.durable(() => this.docs.put(set, this.now()));
    // resume at the first task without an answer on this computer
    const owner = this.deps.owner();
    const open = set.items.find((task) => {
      const ref: TrainingRef = { kind: 'shadow', setId: set.id, taskId: task.id };
      return this.answers.get(owner, trainingRefKey(ref))?.state !== 'submitted';
    });
    return { first: { kind: 'shadow', setId: set.id, taskId: (open ?? set.items[0]!).id } };
  }

  private refuseLocked(item: TrainingItemView, answer: StoredAnswer | null): void {
    if (item.ref.kind === 'sandbox') return;
    const what = { exam: 'exam', calibration: 'calibration', shadow: 'shadowing' }[item.ref.kind];
    if (answer?.state === 'submitted')
      throw new ServiceError('conflict', `this ${what} answer was already submitted and cannot change`);
    if (item.closed)
      throw new ServiceError(
        'conflict',
        item.ref.kind === 'exam'
          ? 'this exam attempt has been graded: it takes no more answers'
          : 'this calibration round has been revealed: it takes no more answers',
      );
  }

  private where(owner: string, item: TrainingItemView): AnswerKeyFields {
    return {
      owner,
      refKey: trainingRefKey(item.ref),
      kind: item.ref.kind,
      parentId: parentOf(item.ref),
      taskId: item.task.id,
      promptPreview: promptPreview(item.task.prompt),
    };
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

const emptyAnswer = (): StoredAnswer => ({
  state: 'draft',
  work: null,
  label: null,
  feedback: null,
  attempts: 0,
  outboxSeq: null,
});
