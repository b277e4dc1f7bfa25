import { useEffect, useState } from 'react';
import type { Guideline } from '../../../shared/guideline';
import { api } from '../api';
import { useSession } from '../state/sessionStore';
import { useSync } from '../state/syncStore';

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; guideline: Guideline | null }
  | { state: 'error'; message: string };

/**
 * The open task's guideline (it comes with the bundle), else the project default, read again after
 * each sync: a new version (a lead's golden example, an admin's publish) shows in an open panel.
 */
export function useGuideline(open: boolean): Loaded {
  const fromBundle = useSession((s) => s.bundle?.guideline);
  const [fetched, setFetched] = useState<Loaded>({ state: 'loading' });
  const needsFetch = open && fromBundle === undefined;
  const synced = useSync((s) => s.sync?.lastSyncAt);
  useEffect(() => {
    if (!needsFetch) return;
    let live = true;
    api.guideline
      .get({})
      .then((guideline) => live && setFetched({ state: 'ready', guideline }))
      .catch(
        (cause: unknown) =>
          live &&
          setFetched({ state: 'error', message: cause instanceof Error ? cause.message : String(cause) }),
      );
    return () => {
      live = false;
    };
  }, [needsFetch, synced]);
  return fromBundle !== undefined ? { state: 'ready', guideline: fromBundle } : fetched;
}
