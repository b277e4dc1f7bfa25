import { z } from 'zod';
import { QaClassificationRequest } from './qa';
import { Id, TaskKind } from './task';

/**
 * Blind QA re-rating as the workstation's contract channels carry it (shared/contract.ts;
 * docs/lead-workspace.md, "Blind QA re-rating" and "On the workstation"). Nothing here holds the
 * original label or its reviewer: those only come with the comparison, after the re-rating is in.
 */

/** TaskBundle.qa: a QA task on the labeling screen (the same controls; no hint of the original). */
export const QaTaskContext = z.strictObject({
  projectId: Id,
  leasedAt: z.string(),
});
export type QaTaskContext = z.infer<typeof QaTaskContext>;

/** One QA task of the signed-in user, as this computer holds it. */
export const QaTask = z.strictObject({
  taskId: Id,
  projectId: Id,
  kind: TaskKind,
  promptPreview: z.string(),
  leasedAt: z.string(),
  /** open: to re-rate; submitted: re-rated on this computer (the comparison opens once it is sent) */
  state: z.enum(['open', 'submitted']),
  /** the re-rating's label id, once submitted */
  labelId: z.string().nullable(),
  /** the re-rating reached the server */
  sent: z.boolean(),
});
export type QaTask = z.infer<typeof QaTask>;

export const QaTaskList = z.strictObject({ tasks: z.array(QaTask) });
export type QaTaskList = z.infer<typeof QaTaskList>;

/** qa.lease: QA work from the server's QA lease, of one project or of any */
export const QaLeaseInput = z.strictObject({ projectId: Id.optional() });
export const QaLeaseResult = z.strictObject({
  /** tasks this lease added */
  leased: z.number().int().min(0),
  /** samples still open to the user after it */
  open: z.number().int().min(0),
  tasks: z.array(QaTask),
});
export type QaLeaseResult = z.infer<typeof QaLeaseResult>;

/** qa.open, qa.comparison: a QA task by its task id */
export const QaTaskInput = z.strictObject({ taskId: Id });

/** qa.classify: one class per discrepant part; a new classification replaces the old */
export const QaClassifyInput = z.strictObject({ taskId: Id, classification: QaClassificationRequest });
