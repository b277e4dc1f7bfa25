import { describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../../shared/session';
import { accountRemoved } from '../../../renderer/src/logic/accountRemoved';

const rita = { id: 'u1', username: 'rita', displayName: 'Rita', role: 'reviewer' as const, podId: null };
const status = (signedIn: boolean, user: AuthStatus['user']): AuthStatus =>
  ({
    signedIn,
    serverUrl: 'https://rlhf.example.com',
    configuredServerUrl: null,
    offeredUsername: null,
    user,
    tokenProtection: 'file',
    sessionValidUntil: null,
    signInReason: null,
  }) as AuthStatus;

describe('the screen leaves the open task when a wipe removed the account', () => {
  it('only when the user went away: not on a sign-out, an expiry, another account or the first status', () => {
    expect(accountRemoved(status(true, rita), status(false, null))).toBe(true);
    expect(accountRemoved(status(false, rita), status(false, null))).toBe(true);
    expect(accountRemoved(status(true, rita), status(false, rita))).toBe(false); // signed out, expired
    expect(accountRemoved(status(true, rita), status(true, { ...rita, id: 'u2', username: 'rob' }))).toBe(
      false,
    );
    expect(accountRemoved(null, status(false, null))).toBe(false);
    expect(accountRemoved(status(false, null), status(false, null))).toBe(false);
  });
});
