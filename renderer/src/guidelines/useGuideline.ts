import { useEffect, useState } from 'react';
import type { Guideline } from '../../../shared/guideline';
import { api } from '../api';
import { useSession } from '../state/sessionStore';
import { useSync } from '../state/syncStore';
import { useUi } from '../state/uiStore';

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; guideline: Guideline | null }
  | { state: 'error'; message: string };

/**
 * The open task's guideline (it comes with the bundle), else the one a notice named, else the
 * project default, read again after each sync: a new version (a lead's golden example, an admin's
 * publish) shows in an open panel.
 */
export function useGuideline(open: boolean): Loaded {
  const fromBundle = useSession((s) => s.bundle?.guideline);
  const [fetched, setFetched] = useState<Loaded>({ state: 'loading' });
  const needsFetch = open && fromBundle === undefined;
  const synced = useSync((s) => s.sync?.lastSyncAt);
  const named = useUi((s) => s.guidelineId);
  useEffect(() => {
    if (!needsFetch) return;
    let live = true;
    api.guideline
      .get(named ? { id: named } : {})
      .then((guideline) => live && setFetched({ state: 'ready', guideline }))
      .catch(
        (cause: unknown) =>
          live &&
          setFetched({ state: 'error', message: cause instanceof Error ? cause.message : String(cause) }),
      );
    return () => {
      live = false;
    };
  }, [needsFetch, synced, named]);
  return fromBundle !== undefined ? { state: 'ready', guideline: fromBundle } : fetched;
}
