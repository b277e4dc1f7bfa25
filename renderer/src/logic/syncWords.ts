import type { AuthStatus, MutationType, QuarantineItem } from '../../../shared/session';

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

/** How the session token is kept, for the sign-in form (null: nothing to say). */
export const PROTECTION_NOTE: Record<AuthStatus['tokenProtection'], string | null> = {
  os: null,
  file: 'In browser mode the session token is kept in your private data folder, not encrypted by the operating system.',
  memory:
    'This computer offers no key store: the session is kept until the app closes, then you sign in again.',
};

/** The status bar's short words while signed in, with the long ones for its tooltip; null when the OS keeps the token. */
export function sessionProtectionBadge(auth: AuthStatus): { text: string; detail: string } | null {
  if (!auth.signedIn || auth.tokenProtection !== 'memory') return null;
  return { text: 'Session not saved (no key store)', detail: PROTECTION_NOTE.memory! };
}
