import { create } from 'zustand';
import type { Notice, NoticeList } from '../../../shared/lead-workstation';
import { api } from '../api';
import { messageOf } from './transition';

/** Rulings on the user's escalations and their lead's notes, as the last sync brought them. */
export interface NoticesUiState {
  list: NoticeList | null;
  error: string | null;
}

export const useNotices = create<NoticesUiState>(() => ({ list: null, error: null }));

export async function refreshNotices(): Promise<void> {
  try {
    useNotices.setState({ list: await api.notices.list({}), error: null });
  } catch (cause) {
    useNotices.setState({ error: messageOf(cause) });
  }
}

/** Marks a notice read (a coaching note's acknowledgement also reaches the lead, now or at the next sync). */
export async function acknowledgeNotice(notice: Notice): Promise<void> {
  const id = notice.kind === 'ruling' ? notice.ruling.escalationId : notice.action.id;
  try {
    useNotices.setState({ list: await api.notices.acknowledge({ kind: notice.kind, id }), error: null });
  } catch (cause) {
    useNotices.setState({ error: messageOf(cause) });
  }
}

/** The unread ruling on a task, if the user escalated it and a lead has ruled. */
export const unreadRulingOn = (list: NoticeList | null, taskId: string | undefined) =>
  list?.notices.find(
    (n): n is Extract<Notice, { kind: 'ruling' }> =>
      n.kind === 'ruling' && n.readAt === null && n.ruling.taskId === taskId,
  ) ?? null;
