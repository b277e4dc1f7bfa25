import { describe, expect, it } from 'vitest';
import { MutationType } from '../../../shared/session';
import { RejectReason } from '../../../shared/sync';
import { MUTATION_WORDS, REJECT_WORDS, sessionProtectionBadge } from '../../../renderer/src/logic/syncWords';
import type { AuthStatus } from '../../../shared/session';

describe('sync words', () => {
  it('has plain words for every reject reason and mutation type', () => {
    for (const reason of RejectReason.options) expect(REJECT_WORDS[reason]).toMatch(/\w/);
    for (const type of MutationType.options) expect(MUTATION_WORDS[type]).toMatch(/\w/);
  });
});

describe('session protection in the status bar', () => {
  const auth = (signedIn: boolean, tokenProtection: AuthStatus['tokenProtection']): AuthStatus => ({
    signedIn,
    serverUrl: 'https://rlhf.example.com',
    configuredServerUrl: null,
    offeredUsername: null,
    user: null,
    tokenProtection,
    sessionValidUntil: null,
    signInReason: null,
  });

  it('says so while signed in with the token in memory only, and nothing otherwise', () => {
    expect(sessionProtectionBadge(auth(true, 'memory'))).toEqual({
      text: 'Session not saved (no key store)',
      detail: expect.stringMatching(/no key store.*sign in again/),
    });
    expect(sessionProtectionBadge(auth(true, 'os'))).toBeNull();
    expect(sessionProtectionBadge(auth(true, 'file'))).toBeNull();
    expect(sessionProtectionBadge(auth(false, 'memory'))).toBeNull();
  });
});
