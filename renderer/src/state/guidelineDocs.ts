import { create } from 'zustand';
import type { Guideline } from '../../../shared/guideline';
import { api } from '../api';
import { useSync } from './syncStore';

/** a guideline as read, and the sync after which it was read (a later sync may bring a newer version) */
export type HeldGuideline = { doc: Guideline; afterSync: string | null };

/**
 * Guideline documents the renderer has read, one per id (the newest it was given). A task bundle
 * names its guideline by id and version only (the text is ~20 kB and the same from task to task):
 * a version is fetched once, when a bundle names one this cache does not hold or a sync may have
 * brought a newer one.
 */
export const useGuidelineDocs = create<{ byId: Readonly<Record<string, HeldGuideline>> }>(() => ({
  byId: {},
}));

const lastSync = (): string | null => useSync.getState().sync?.lastSyncAt ?? null;

/** the key `guideline.get` answers for without an id (the project default) */
const DEFAULT_KEY = '';
const inFlight = new Map<string, Promise<Guideline | null>>();

/**
 * Reads guideline `id` (none: the project default) from the services and keeps it. One request per
 * id at a time: a second caller shares the one in flight.
 */
export function fetchGuideline(id: string | null): Promise<Guideline | null> {
  const key = id ?? DEFAULT_KEY;
  const running = inFlight.get(key);
  if (running) return running;
  const afterSync = lastSync();
  const request = api.guideline
    .get(id === null ? {} : { id })
    .then((doc) => {
      if (doc) useGuidelineDocs.setState((s) => ({ byId: { ...s.byId, [doc.id]: { doc, afterSync } } }));
      return doc;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}

/** Whether the cache holds guideline `id` at `version` (the version a bundle names). */
export const holdsGuideline = (id: string, version: string): boolean =>
  useGuidelineDocs.getState().byId[id]?.doc.version === version;

/** Whether guideline `id` was read since the last sync (a sync may bring a newer version). */
export const readSinceSync = (id: string): boolean =>
  useGuidelineDocs.getState().byId[id]?.afterSync === lastSync();
