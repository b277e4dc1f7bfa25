import { type CheckPolicy, type CheckResult, runChecks, submitAllowed } from '../../../shared/checks';
import { formatIssues } from '../../../shared/contract';
import { Label, type CheckId, type WorkState } from '../../../shared/label';
import { formatLabelProblems, labelProblems } from '../../../shared/label-validity';
import type { Task } from '../../../shared/task';
import type { Config } from '../config';
import { ServiceError } from '../errors';
import type { Identity } from '../identity';
import { buildLabel, workReferenceIssues } from '../labels';

/**
 * The policy a training submit applies: production's (queue.ts), a rationale the template requires
 * always blocking, so a trainee practises under the rules they will be held to.
 */
export const trainingCheckPolicy = (configured: CheckPolicy): CheckPolicy => ({
  ...configured,
  rationaleMissing: 'block',
});

export interface AnswerInput {
  task: Task;
  work: WorkState;
  presentedOrder: string[];
  orderSeed: string;
  acknowledgedWarnings: readonly CheckId[];
  config: Config;
  identity: Identity;
  now: string;
  /** the checks to apply; default: training's (production's, a required rationale blocking) */
  policy?: CheckPolicy;
}

/**
 * Work -> label (a training answer, a lead's ruling), exactly as production submit does: references checked (a bad one is invalid
 * input), the submit checks run (a block or an unacknowledged warning comes back as `checks`),
 * the label built and held to what the server would accept.
 */
export function answerLabel(input: AnswerInput): { label: Label } | { checks: CheckResult[] } {
  const { task, work, config } = input;
  const taxonomy = config.taxonomy(task.tags);
  const template = config.template(task.rationale);
  const referenceIssues = workReferenceIssues(task, work, taxonomy, template);
  if (referenceIssues.length)
    throw new ServiceError('invalid-input', `the work does not match item "${task.id}"`, referenceIssues);
  const checks = runChecks({
    task,
    work,
    presentedOrder: input.presentedOrder,
    template,
    policy: input.policy ?? trainingCheckPolicy(config.checkPolicy),
  });
  if (!submitAllowed(checks, input.acknowledgedWarnings)) return { checks };
  const label = buildLabel({
    task,
    work,
    presentedOrder: input.presentedOrder,
    orderSeed: input.orderSeed,
    template,
    taxonomy,
    guideline: config.guideline(task.guideline),
    checks,
    identity: input.identity,
    // every try is a label of its own (the mutation numbers the try)
    previous: null,
    now: input.now,
  });
  const parsed = Label.safeParse(label);
  const problems = parsed.success
    ? labelProblems(label, { task, taxonomy, template })
    : formatIssues(parsed.error).map((i) => ({ ...i, path: `label.${i.path}` }));
  if (problems.length)
    throw new ServiceError(
      'invalid-input',
      `the answer to item "${task.id}" is not valid: ${formatLabelProblems(problems)}`,
      problems,
    );
  return { label };
}
