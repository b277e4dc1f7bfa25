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

const DATA_NOT_ENCRYPTED =
  "This computer offers no key store, so your tasks, drafts and labels are stored unencrypted: anyone who can read your account's files can read them. Ask IT to set up a key store.";

/** What the sign-in form says about how the token and the local data are kept (null: nothing to say). */
export function signInProtectionNote(auth: AuthStatus): string | null {
  if (auth.dataProtection === 'browser')
    return 'In browser mode the session token and your tasks, drafts and labels are kept in your private data folder, not encrypted.';
  if (auth.dataProtection === 'no-key-store')
    return `${DATA_NOT_ENCRYPTED}${auth.tokenProtection === 'memory' ? ` ${PROTECTION_NOTE.memory}` : ''}`;
  return PROTECTION_NOTE[auth.tokenProtection];
}

/**
 * The status bar's short words, with the long ones for its tooltip: always when the local data is
 * not encrypted for want of a key store (the desktop app; browser mode says it on the sign-in form
 * and in its docs), and while signed in with the token in memory only; null when the OS keeps both.
 */
export function sessionProtectionBadge(auth: AuthStatus): { text: string; detail: string } | null {
  const memoryToken = auth.signedIn && auth.tokenProtection === 'memory';
  if (auth.dataProtection === 'no-key-store') {
    return {
      text: memoryToken
        ? 'Data not encrypted, session not saved (no key store)'
        : 'Data not encrypted (no key store)',
      detail: memoryToken ? `${DATA_NOT_ENCRYPTED} ${PROTECTION_NOTE.memory}` : DATA_NOT_ENCRYPTED,
    };
  }
  if (!memoryToken) return null;
  return { text: 'Session not saved (no key store)', detail: PROTECTION_NOTE.memory! };
}
