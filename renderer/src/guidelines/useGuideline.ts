import { useEffect, useState } from 'react';
import type { Guideline } from '../../../shared/guideline';
import { fetchGuideline, holdsGuideline, readSinceSync, useGuidelineDocs } from '../state/guidelineDocs';
import { useSession } from '../state/sessionStore';
import { useSync } from '../state/syncStore';
import { useUi } from '../state/uiStore';

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; guideline: Guideline | null }
  | { state: 'error'; message: string };

/**
 * The guideline a notice named, else the open task's (its bundle names id and version), else the
 * project default. The text comes from the renderer's cache (state/guidelineDocs.ts): fetched once
 * per version, and read again after each sync while the panel is open, so a new version (a lead's
 * golden example, an admin's publish) shows in an open panel.
 */
export function useGuideline(open: boolean): Loaded {
  const ref = useSession((s) => s.bundle?.guideline);
  const named = useUi((s) => s.guidelineId);
  const synced = useSync((s) => s.sync?.lastSyncAt);
  // a task without a guideline shows none; without a task (or id): the project default (id null)
  const none = !named && ref === null;
  const id = named ?? ref?.id ?? null;
  const version = named ? null : (ref?.version ?? null);
  const [fetched, setFetched] = useState<{ id: string | null; loaded: Loaded }>({
    id: null,
    loaded: { state: 'loading' },
  });
  // the default's id is known once it has been read
  const shownId =
    id ??
    (fetched.id === null && fetched.loaded.state === 'ready' ? fetched.loaded.guideline?.id : undefined);
  const held = useGuidelineDocs((s) => (shownId === undefined ? undefined : s.byId[shownId]?.doc));

  useEffect(() => {
    if (!open || none) return;
    const current = id !== null && readSinceSync(id) && (version === null || holdsGuideline(id, version));
    if (current) return;
    let live = true;
    fetchGuideline(id)
      .then((guideline) => live && setFetched({ id, loaded: { state: 'ready', guideline } }))
      .catch(
        (cause: unknown) =>
          live &&
          setFetched({
            id,
            loaded: { state: 'error', message: cause instanceof Error ? cause.message : String(cause) },
          }),
      );
    return () => {
      live = false;
    };
  }, [open, none, id, version, synced]);

  if (none) return { state: 'ready', guideline: null };
  if (held) return { state: 'ready', guideline: held };
  return fetched.id === id ? fetched.loaded : { state: 'loading' };
}
