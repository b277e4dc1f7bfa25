import { create } from 'zustand';

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'manual';

/** Draft autosave progress, shown in the top bar. */
export interface SaveState {
  status: SaveStatus;
  /** epoch ms of the last successful save */
  savedAt: number | null;
  /** work version last stored */
  savedVersion: number;
  /** active time last stored */
  savedActiveMs: number;
  message: string | null;
}

export const useSave = create<SaveState>(() => ({
  status: 'idle',
  savedAt: null,
  savedVersion: 0,
  savedActiveMs: 0,
  message: null,
}));

/** Entries on screen that are not stored yet. */
export const selectDirty = (version: number, save: SaveState) => version !== save.savedVersion;
