import { describe, expect, it } from 'vitest';
import { MutationType } from '../../../shared/session';
import { RejectReason } from '../../../shared/sync';
import {
  MUTATION_WORDS,
  REJECT_WORDS,
  sessionProtectionBadge,
  signInProtectionNote,
} from '../../../renderer/src/logic/syncWords';
import type { AuthStatus } from '../../../shared/session';

describe('sync words', () => {
  it('has plain words for every reject reason and mutation type', () => {
    for (const reason of RejectReason.options) expect(REJECT_WORDS[reason]).toMatch(/\w/);
    for (const type of MutationType.options) expect(MUTATION_WORDS[type]).toMatch(/\w/);
  });
});

describe('session protection in the status bar', () => {
  const auth = (
    signedIn: boolean,
    tokenProtection: AuthStatus['tokenProtection'],
    dataProtection: AuthStatus['dataProtection'] = 'os',
  ): AuthStatus => ({
    signedIn,
    serverUrl: 'https://rlhf.example.com',
    configuredServerUrl: null,
    offeredUsername: null,
    user: null,
    tokenProtection,
    dataProtection,
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

  it('says the local data is not encrypted whenever the desktop app has no key store, signed in or not', () => {
    expect(sessionProtectionBadge(auth(false, 'memory', 'no-key-store'))).toEqual({
      text: 'Data not encrypted (no key store)',
      detail: expect.stringMatching(/no key store, so your tasks, drafts and labels are stored unencrypted/),
    });
    expect(sessionProtectionBadge(auth(true, 'memory', 'no-key-store'))).toEqual({
      text: 'Data not encrypted, session not saved (no key store)',
      detail: expect.stringMatching(/stored unencrypted.*sign in again/),
    });
    // browser mode says it on the sign-in form, not in the bar
    expect(sessionProtectionBadge(auth(true, 'file', 'browser'))).toBeNull();
    expect(signInProtectionNote(auth(false, 'file', 'browser'))).toMatch(
      /browser mode.*tasks, drafts and labels.*not encrypted/,
    );
    expect(signInProtectionNote(auth(false, 'memory', 'no-key-store'))).toMatch(/stored unencrypted/);
    expect(signInProtectionNote(auth(false, 'os', 'os'))).toBeNull();
  });
});
