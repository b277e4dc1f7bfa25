import { z } from 'zod';
import { Id } from '../task';

/** Which training item an answer belongs to. `taskId` is the item's task id as served. */
export const TrainingRef = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sandbox'), courseId: Id, taskId: Id }),
  z.strictObject({ kind: z.literal('exam'), attemptId: Id, taskId: Id }),
  z.strictObject({ kind: z.literal('calibration'), roundId: Id, taskId: Id }),
  /** shadowing: a production task a certified reviewer labeled, in a set drawn for this trainee */
  z.strictObject({ kind: z.literal('shadow'), setId: Id, taskId: Id }),
]);
export type TrainingRef = z.infer<typeof TrainingRef>;
export type TrainingMode = TrainingRef['kind'];

export { trainingRefKey } from './ref-key';
