import type { Task } from '../../../shared/task';
import type { AnswerKey } from '../../../shared/training/key';
import type { TrainingRef } from '../../../shared/training/ref';
import type { ItemFeedback } from '../../../shared/training/score';
import { ServiceError } from '../errors';
import type { TrainingDocs } from './docs-store';

/** A training item found in the documents: what the labeling screen and submit need to know. */
export interface TrainingItemView {
  ref: TrainingRef;
  task: Task;
  /** sandbox items only: scored on this computer */
  key: AnswerKey | null;
  /** the course, attempt or round */
  parentId: string;
  title: string;
  /** the module (sandbox) */
  section: string | null;
  position: { index: number; count: number };
  next: TrainingRef | null;
  deadline: string | null;
  /** the attempt was graded or the round revealed: no more answers */
  closed: boolean;
  /** what the server sent back: a graded attempt's or a revealed round's feedback on this item */
  serverFeedback: ItemFeedback | null;
}

export const parentOf = (ref: TrainingRef): string =>
  ref.kind === 'sandbox'
    ? ref.courseId
    : ref.kind === 'exam'
      ? ref.attemptId
      : ref.kind === 'calibration'
        ? ref.roundId
        : ref.setId;

const notFound = (what: string) => new ServiceError('not-found', what);

/** The item a ref names, or a not-found ServiceError in plain words. */
export function findItem(docs: TrainingDocs, ref: TrainingRef): TrainingItemView {
  if (ref.kind === 'sandbox') {
    const course = docs.get('course', ref.courseId);
    if (!course) throw notFound(`no course "${ref.courseId}" on this computer (sync to get it)`);
    const flat = course.modules.flatMap((module) => module.items.map((item) => ({ module, item })));
    const index = flat.findIndex((entry) => entry.item.task.id === ref.taskId);
    if (index < 0) throw notFound(`course "${course.title}" has no item "${ref.taskId}"`);
    const { module, item } = flat[index]!;
    const following = flat[index + 1];
    return {
      ref,
      task: item.task,
      key: item.key,
      parentId: course.id,
      title: course.title,
      section: module.title,
      position: { index: index + 1, count: flat.length },
      next: following ? { kind: 'sandbox', courseId: course.id, taskId: following.item.task.id } : null,
      deadline: null,
      closed: false,
      serverFeedback: null,
    };
  }
  if (ref.kind === 'exam') {
    const attempt = docs.get('attempt', ref.attemptId);
    if (!attempt) throw notFound(`no exam attempt "${ref.attemptId}" on this computer`);
    const index = attempt.items.findIndex((task) => task.id === ref.taskId);
    if (index < 0) throw notFound(`the exam attempt has no item "${ref.taskId}"`);
    const following = attempt.items[index + 1];
    const result = attempt.result?.items.find((item) => item.taskId === ref.taskId) ?? null;
    return {
      ref,
      task: attempt.items[index]!,
      key: null,
      parentId: attempt.id,
      title: docs.get('exam', attempt.examId)?.title ?? 'Exam',
      section: null,
      position: { index: index + 1, count: attempt.items.length },
      next: following ? { kind: 'exam', attemptId: attempt.id, taskId: following.id } : null,
      deadline: attempt.deadline,
      closed: attempt.state === 'graded',
      serverFeedback: result?.feedback ?? null,
    };
  }
  if (ref.kind === 'shadow') return shadowItem(docs, ref);
  const round = docs.get('calibration', ref.roundId);
  if (!round) throw notFound(`no calibration round "${ref.roundId}" on this computer`);
  const index = round.items.findIndex((task) => task.id === ref.taskId);
  if (index < 0) throw notFound(`calibration round "${round.title}" has no item "${ref.taskId}"`);
  const following = round.items[index + 1];
  const reveal = round.reveal?.items.find((item) => item.taskId === ref.taskId) ?? null;
  return {
    ref,
    task: round.items[index]!,
    key: null,
    parentId: round.id,
    title: round.title,
    section: null,
    position: { index: index + 1, count: round.items.length },
    next: following ? { kind: 'calibration', roundId: round.id, taskId: following.id } : null,
    deadline: null,
    closed: round.state === 'revealed',
    serverFeedback: reveal?.feedback ?? null,
  };
}

/** A shadowing task: open until answered; the reviewer's label beside it once the server took it. */
function shadowItem(docs: TrainingDocs, ref: Extract<TrainingRef, { kind: 'shadow' }>): TrainingItemView {
  const set = docs.get('shadow', ref.setId);
  if (!set) throw notFound(`no shadowing set "${ref.setId}" on this computer`);
  const index = set.items.findIndex((task) => task.id === ref.taskId);
  if (index < 0) throw notFound(`the shadowing set has no task "${ref.taskId}"`);
  const following = set.items[index + 1];
  return {
    ref,
    task: set.items[index]!,
    key: null,
    parentId: set.id,
    title: set.title,
    section: null,
    position: { index: index + 1, count: set.items.length },
    next: following ? { kind: 'shadow', setId: set.id, taskId: following.id } : null,
    deadline: null,
    closed: false,
    serverFeedback: set.results.find((r) => r.taskId === ref.taskId)?.feedback ?? null,
  };
}
