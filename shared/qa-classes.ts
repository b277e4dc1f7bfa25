/**
 * How a QA re-rater classifies a discrepant part, and what kind of reviewer error it was. Plain
 * constants without zod (issue 12): the renderer lists them, shared/qa.ts builds its schemas
 * from them.
 */
export const QA_CLASSES = ['reviewer-error', 'guideline-ambiguity', 'acceptable', 'qa-error'] as const;
export type QaClass = (typeof QA_CLASSES)[number];

/** What kind of mistake a reviewer error is (asked for `reviewer-error` only). */
export const QA_ERROR_TYPES = [
  'misread-prompt',
  'missed-failure',
  'false-failure',
  'wrong-severity',
  'guideline-misapplied',
  'weak-rationale',
  'careless',
  'other',
] as const;
export type QaErrorType = (typeof QA_ERROR_TYPES)[number];
