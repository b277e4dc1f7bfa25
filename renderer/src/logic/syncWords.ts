import type { MutationType, QuarantineItem } from '../../../shared/session';

export const MUTATION_WORDS: Record<MutationType, string> = {
  'label.submit': 'Label',
  'task.skip': 'Skip',
  'task.escalate': 'Escalation',
  'training.answer': 'Training answer',
};

/** The server's reason codes in plain words. */
export const REJECT_WORDS: Record<QuarantineItem['reason'], string> = {
  invalid: 'Does not match the task',
  'not-assigned': 'This task was never assigned to you',
  'task-revoked': 'The task was withdrawn from the project',
  'label-conflict': 'The label belongs to another task or reviewer',
  forbidden: 'Your role may not do this',
  closed: 'The exam or round had closed when it arrived',
  rejected: 'Refused by the server',
};
