import type { TrainingRef } from './ref';

/** One stable string per training item (local keys, React keys); without zod, for the renderer. */
export const trainingRefKey = (ref: TrainingRef): string =>
  ref.kind === 'sandbox'
    ? `sandbox:${ref.courseId}:${ref.taskId}`
    : ref.kind === 'exam'
      ? `exam:${ref.attemptId}:${ref.taskId}`
      : ref.kind === 'calibration'
        ? `calibration:${ref.roundId}:${ref.taskId}`
        : `shadow:${ref.setId}:${ref.taskId}`;
