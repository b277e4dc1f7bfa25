import type { AuthStatus } from '../../../shared/session';

/**
 * The account's data left this computer while the app was open (a remote wipe order: the services
 * forget the user along with the work). A sign-out or an expired session keeps the user, and
 * another account signing in replaces it: neither counts. The screen must then leave whatever
 * task it shows for the sign-in screen, which says what happened.
 */
export function accountRemoved(before: AuthStatus | null, now: AuthStatus): boolean {
  return before?.user != null && now.user === null && !now.signedIn;
}
