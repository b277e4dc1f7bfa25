import { create } from 'zustand';
import type { AuthStatus, QuarantineList, SignInInput, SyncStatus } from '../../../shared/session';
import { api } from '../api';
import { accountRemoved } from '../logic/accountRemoved';
import { landsOnTraining } from '../logic/trainingOverview';
import { refreshSummary } from './actions';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { refreshShadowResult } from './trainingActions';
import { refreshNotices } from './noticesStore';
import { refreshTraining } from './trainingStore';

/** Sign-in and sync status as the services report them; polled, since sync runs in the background. */
export interface SyncUiState {
  auth: AuthStatus | null;
  sync: SyncStatus | null;
  quarantine: QuarantineList | null;
  /** a "Sync now" the reviewer asked for is running */
  syncing: boolean;
}

export const useSync = create<SyncUiState>(() => ({
  auth: null,
  sync: null,
  quarantine: null,
  syncing: false,
}));

// a graded attempt, a certificate, a revealed round, a reviewer's label beside a shadowing answer
// or a sent answer arrives with a sync (a polled status or a "Sync now"): the screen shows it
useSync.subscribe((state, previous) => {
  const now = state.sync;
  const before = previous.sync;
  if (now?.lastSyncAt === before?.lastSyncAt && now?.queued === before?.queued) return;
  const screen = useSession.getState().screen;
  // rulings and lead notes come with a sync too
  void refreshNotices();
  if (screen === 'training') void refreshTraining();
  else if (screen === 'task') void refreshShadowResult();
});

const POLL_MS = 4000;
/** this tab chose to work without an account: do not offer sign-in at start again */
const OFFLINE_CHOICE = 'rw.workOffline';

export const choseOffline = () => sessionStorage.getItem(OFFLINE_CHOICE) === '1';

export async function refreshSync(): Promise<void> {
  try {
    const { sync: before, auth: authBefore } = useSync.getState();
    const [auth, sync] = await Promise.all([api.auth.status({}), api.sync.status({})]);
    useSync.setState({ auth, sync });
    // wiped on the administrator's order: the open task is gone; nothing is saved on the way out
    if (accountRemoved(authBefore, auth)) {
      useSession.setState({ screen: 'signin', bundle: null });
      void refreshSummary();
      return;
    }
    // pulled tasks or settled items change the queue counts and the quarantine list
    if (before?.lastSyncAt !== sync.lastSyncAt || before?.queued !== sync.queued) void refreshSummary();
    const wantsList = sync.quarantined + sync.withdrawnKept > 0;
    if (
      wantsList &&
      (before?.quarantined !== sync.quarantined ||
        before?.withdrawnKept !== sync.withdrawnKept ||
        !useSync.getState().quarantine)
    ) {
      useSync.setState({ quarantine: await api.sync.quarantine({}) });
    } else if (!wantsList) {
      useSync.setState({ quarantine: null });
    }
  } catch {
    // the status bar keeps its last known state; actions report their own errors
  }
}

let poller: number | null = null;

/**
 * Starts from the status app.boot brought (no call of its own before the first screen), then
 * polls; returns true when the sign-in screen should come first (IT set a server, never signed in).
 */
export function startSyncStatus(first: { auth: AuthStatus; sync: SyncStatus }): boolean {
  useSync.setState({ auth: first.auth, sync: first.sync });
  if (first.sync.quarantined + first.sync.withdrawnKept > 0) {
    api.sync.quarantine({}).then(
      (quarantine) => useSync.setState({ quarantine }),
      () => undefined, // the next poll tries again
    );
  }
  if (poller === null) poller = window.setInterval(() => void refreshSync(), POLL_MS);
  const { auth } = first;
  return Boolean(auth.configuredServerUrl && !auth.signedIn && !auth.user && !choseOffline());
}

export async function syncNow(): Promise<void> {
  const { auth, syncing } = useSync.getState();
  if (syncing) return;
  if (!auth?.signedIn) {
    await openSignIn();
    return;
  }
  useSync.setState({ syncing: true });
  try {
    useSync.setState({ sync: await api.sync.now({}) });
  } catch {
    // shown through the status on the next refresh
  } finally {
    useSync.setState({ syncing: false });
    await refreshSync();
    await refreshSummary();
  }
}

export async function openSignIn(): Promise<void> {
  await flushDraft(); // leaving a task: its draft is saved first
  useSession.setState({ screen: 'signin', bundle: null });
}

export async function signIn(input: SignInInput): Promise<void> {
  const auth = await api.auth.signIn(input);
  useSync.setState({ auth });
  sessionStorage.removeItem(OFFLINE_CHOICE);
  if (landsOnTraining(auth.user?.role, useSession.getState().summary)) {
    useSession.setState({ screen: 'training' });
    void refreshTraining();
  } else {
    useSession.setState({ screen: 'queue' });
  }
  // fetch the first batch (and the training material) right away; the screen fills in when it arrives
  void syncNow();
}

export function workOffline(): void {
  sessionStorage.setItem(OFFLINE_CHOICE, '1');
  useSession.setState({ screen: 'queue' });
  void refreshSummary();
  void refreshSync();
}

export async function signOut(): Promise<void> {
  useSync.setState({ auth: await api.auth.signOut({}) });
  await refreshSync();
}
