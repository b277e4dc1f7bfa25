import { orderSeed, presentationOrder } from '../../../shared/order';
import { type TaskBundle, guidelineRef } from '../../../shared/queue';
import type { Config } from '../config';
import type { StoredAnswer } from './answers-store';
import { trainingCheckPolicy } from './answer';
import type { TrainingItemView } from './items';

/**
 * The presented order of a training item: seeded per user and item like production work, so it
 * stays the same when the item is reopened or retried.
 */
export function presented(owner: string, item: TrainingItemView): { seed: string; order: string[] } {
  const seed = orderSeed(owner, item.task.id);
  return {
    seed,
    order: presentationOrder(
      item.task.responses.map((r) => r.id),
      seed,
    ),
  };
}

/**
 * A training item on the labeling screen: the production bundle plus its training context.
 * Sandbox feedback shows once the item was submitted (the latest try); exam and calibration
 * feedback only once the server graded or revealed it. Submitted exam and round answers lock,
 * and so does everything in a graded attempt or a revealed round.
 */
export function trainingBundle(
  owner: string,
  item: TrainingItemView,
  answer: StoredAnswer | null,
  config: Config,
): TaskBundle {
  const { task, ref } = item;
  const { seed, order } = presented(owner, item);
  const submitted = answer?.state === 'submitted';
  const sandbox = ref.kind === 'sandbox';
  const feedback = sandbox ? (submitted ? answer.feedback : null) : item.serverFeedback;
  return {
    task,
    state: submitted ? 'submitted' : answer?.work ? 'draft' : 'pending',
    presentedOrder: order,
    orderSeed: seed,
    work: answer?.work ?? null,
    label: submitted ? answer.label : null,
    taxonomy: config.taxonomy(task.tags),
    template: config.template(task.rationale),
    guideline: guidelineRef(config.guideline(task.guideline)),
    checkPolicy: trainingCheckPolicy(config.checkPolicy),
    position: { index: item.position.index, open: item.position.count },
    training: {
      ref,
      title: item.title,
      section: item.section,
      position: item.position,
      deadline: item.deadline,
      locked: !sandbox && (submitted || item.closed),
      feedback,
      key: sandbox ? item.key : null,
      attempts: answer?.attempts ?? 0,
      next: item.next,
    },
  };
}
