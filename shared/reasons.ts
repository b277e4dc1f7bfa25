/**
 * Why a reviewer skips or escalates a task, and the words the screen shows for each. Plain
 * constants without zod (issue 12): the renderer imports them, shared/queue.ts builds its
 * schemas from them.
 */
export const SKIP_REASONS = [
  'cannot-judge',
  'language',
  'broken-task',
  'too-long',
  'wellbeing',
  'other',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  'cannot-judge': 'Outside my expertise',
  language: 'Language I cannot read',
  'broken-task': 'Broken or empty task',
  'too-long': 'Too long to judge fairly',
  wellbeing: 'Content I should not review',
  other: 'Other',
};

export const ESCALATION_REASONS = [
  'guideline-gap',
  'ambiguous-prompt',
  'all-responses-bad',
  'safety-concern',
  'possible-pii',
  'other',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export const ESCALATION_REASON_LABELS: Record<EscalationReason, string> = {
  'guideline-gap': 'Guidelines do not cover this',
  'ambiguous-prompt': 'Prompt is ambiguous',
  'all-responses-bad': 'All responses are unacceptable',
  'safety-concern': 'Safety concern',
  'possible-pii': 'Possible personal data',
  other: 'Other edge case',
};
