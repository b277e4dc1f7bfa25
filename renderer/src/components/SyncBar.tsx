import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/session';
import { relativeTime } from '../logic/relativeTime';
import { sessionProtectionBadge } from '../logic/syncWords';
import { keyHint } from '../shortcuts/table';
import { openSignIn, signOut, syncNow, useSync } from '../state/syncStore';

/** progress bars only for batches big enough to take a moment */
const PROGRESS_FROM = 20;

const STATE_WORDS: Record<SyncStatus['state'], string> = {
  online: 'Online',
  offline: 'Offline',
  syncing: 'Syncing…',
  'signed-out': 'Not signed in',
};

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

/** The bottom status bar: connection, queued items, last sync, progress, the last problem, "Sync now". */
export function SyncBar() {
  const auth = useSync((s) => s.auth);
  const sync = useSync((s) => s.sync);
  const busy = useSync((s) => s.syncing);
  const now = useNow(15_000);
  if (!auth || !sync) return <footer className="syncbar" aria-label="Sync status" />;

  const state = busy ? 'syncing' : sync.state;
  const neverSignedIn = !auth.signedIn && !auth.user;
  const protection = sessionProtectionBadge(auth);
  const progress = sync.progress && sync.progress.total >= PROGRESS_FROM ? sync.progress : null;
  return (
    <footer className="syncbar" aria-label="Sync status" data-testid="syncbar">
      <span className={`sync-state sync-${state}`} data-testid="sync-state">
        {neverSignedIn ? 'Working offline without an account' : STATE_WORDS[state]}
      </span>
      {auth.signedIn && auth.user && (
        <span className="sync-user">
          {auth.user.displayName || auth.user.username}
          <span className="sr-only"> is signed in</span>
        </span>
      )}
      {protection && (
        <span className="sync-protection" data-testid="sync-protection" title={protection.detail}>
          {protection.text}
        </span>
      )}
      {!neverSignedIn && <span data-testid="sync-queued">{sync.queued} queued</span>}
      {!neverSignedIn && (
        <span data-testid="sync-last">
          Last sync: {sync.lastSyncAt ? relativeTime(Date.parse(sync.lastSyncAt), now) : 'never'}
        </span>
      )}
      {progress && (
        <label className="sync-progress">
          <span className="sr-only">Sync progress</span>
          <progress max={progress.total} value={progress.done} />
          <span>
            {progress.done} / {progress.total}
          </span>
        </label>
      )}
      <span
        className="sync-error"
        role="status"
        data-testid="sync-error"
        // one line in the bar, cut with an ellipsis on a small screen: the whole text on hover
        title={(!auth.signedIn && auth.signInReason ? auth.signInReason : sync.lastError) ?? undefined}
      >
        {!auth.signedIn && auth.signInReason ? auth.signInReason : (sync.lastError ?? '')}
      </span>
      <span className="syncbar-actions">
        {auth.signedIn ? (
          <>
            <button type="button" className="btn btn-small" onClick={() => void syncNow()} disabled={busy}>
              Sync now <kbd>{keyHint('syncNow')}</kbd>
            </button>
            <button type="button" className="btn btn-small btn-quiet" onClick={() => void signOut()}>
              Sign out
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => void openSignIn()}>
            {auth.user ? 'Sign in again' : 'Sign in'}
          </button>
        )}
      </span>
    </footer>
  );
}
