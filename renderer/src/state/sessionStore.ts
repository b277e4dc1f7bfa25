import { create } from 'zustand';
import type { Preferences, QueueSummary, TaskBundle } from '../../../shared/queue';

export type Screen =
  'boot' | 'signin' | 'queue' | 'task' | 'done' | 'training' | 'metrics' | 'lead' | 'qa' | 'audit';
export type Busy = null | 'open' | 'submit' | 'skip' | 'escalate' | 'retry' | 'start';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** Which screen is up, the task bundle on it, queue counts and preferences. */
export interface SessionState {
  screen: Screen;
  bundle: TaskBundle | null;
  summary: QueueSummary | null;
  prefs: Preferences;
  busy: Busy;
  notice: Notice | null;
}

export const useSession = create<SessionState>(() => ({
  screen: 'boot',
  bundle: null,
  summary: null,
  prefs: { layout: 'side', fontScale: 1 },
  busy: null,
  notice: null,
}));

export const showNotice = (notice: Notice | null) => useSession.setState({ notice });
