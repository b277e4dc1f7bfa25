import { create } from 'zustand';
import type { GuidelineNotice, GuidelineNoticeList } from '../../../shared/guideline-draft';
import { api } from '../api';
import { useSync } from './syncStore';
import { messageOf } from './transition';

/** "Guidelines updated": newer guideline versions the last syncs brought, unread first. */
export interface GuidelineUpdatesState {
  list: GuidelineNoticeList | null;
  error: string | null;
}

export const useGuidelineUpdates = create<GuidelineUpdatesState>(() => ({ list: null, error: null }));

export async function refreshGuidelineUpdates(): Promise<void> {
  try {
    useGuidelineUpdates.setState({ list: await api.guidelines.updates({}), error: null });
  } catch (cause) {
    useGuidelineUpdates.setState({ error: messageOf(cause) });
  }
}

export async function markGuidelineUpdateRead(notice: GuidelineNotice): Promise<void> {
  try {
    const list = await api.guidelines.markRead({ guidelineId: notice.guidelineId, version: notice.version });
    useGuidelineUpdates.setState({ list, error: null });
  } catch (cause) {
    useGuidelineUpdates.setState({ error: messageOf(cause) });
  }
}

// a new version arrives with a sync: list it as soon as that sync is done
useSync.subscribe((state, previous) => {
  if (state.sync?.lastSyncAt !== previous.sync?.lastSyncAt) void refreshGuidelineUpdates();
});
