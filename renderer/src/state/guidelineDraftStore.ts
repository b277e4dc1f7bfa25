import { create } from 'zustand';
import type { GuidelineDraft, PublishLevel } from '../../../shared/guideline-draft';
import { api } from '../api';
import { useSync } from './syncStore';
import { messageOf } from './transition';

/** What a new draft starts from: an escalation and its task (the dialog lets the lead change it). */
export type DraftStart = { escalationId: string | null; taskId: string | null; guidelineId: string };

/** The guideline loop in the lead workspace: the drafts list and the draft being written. */
export interface GuidelineDraftsState {
  drafts: GuidelineDraft[] | null;
  loading: boolean;
  error: string | null;
  /** the last decision or draft sent, in words */
  status: string | null;
  /** the draft dialog is open, starting from this */
  drafting: DraftStart | null;
}

export const useGuidelineDrafts = create<GuidelineDraftsState>(() => ({
  drafts: null,
  loading: false,
  error: null,
  status: null,
  drafting: null,
}));

const isAdmin = () => useSync.getState().auth?.user?.role === 'admin';

/** a lead: their pod's drafts; an admin: every pod's */
export async function loadGuidelineDrafts(): Promise<void> {
  useGuidelineDrafts.setState({ loading: true, error: null });
  try {
    const { drafts } = await api.guidelineDrafts.list({ all: isAdmin() });
    useGuidelineDrafts.setState({ drafts });
  } catch (cause) {
    useGuidelineDrafts.setState({ error: messageOf(cause) });
  } finally {
    useGuidelineDrafts.setState({ loading: false });
  }
}

export const startGuidelineDraft = (start: DraftStart) =>
  useGuidelineDrafts.setState({ drafting: start, status: null });
export const closeGuidelineDraft = () => useGuidelineDrafts.setState({ drafting: null });

/** after the dialog sent a draft */
export function draftSent(draft: GuidelineDraft): void {
  const sections = draft.changes.map((c) => `"${c.heading}"`).join(', ');
  useGuidelineDrafts.setState({
    drafting: null,
    status: `Draft ${draft.id} sent to an admin: ${sections} of ${draft.guidelineId} v${draft.baseVersion}.`,
  });
  void loadGuidelineDrafts();
}

export async function publishGuidelineDraft(draft: GuidelineDraft, level: PublishLevel): Promise<void> {
  try {
    const result = await api.guidelineDrafts.publish({ id: draft.id, level });
    const due = result.certificatesDue ? `; ${result.certificatesDue} certificate(s) fall due` : '';
    useGuidelineDrafts.setState({
      status: `Published ${draft.guidelineId} v${result.version} (${level})${due}. Reviewers see it at their next sync.`,
      error: null,
    });
  } catch (cause) {
    useGuidelineDrafts.setState({ error: messageOf(cause) });
  }
  await loadGuidelineDrafts();
}

export async function rejectGuidelineDraft(draft: GuidelineDraft, reason: string): Promise<boolean> {
  if (!reason.trim()) {
    useGuidelineDrafts.setState({ error: 'Say why: the lead reads the reason.' });
    return false;
  }
  try {
    await api.guidelineDrafts.reject({ id: draft.id, reason: reason.trim() });
    useGuidelineDrafts.setState({ status: `Rejected draft ${draft.id}.`, error: null });
    await loadGuidelineDrafts();
    return true;
  } catch (cause) {
    useGuidelineDrafts.setState({ error: messageOf(cause) });
    return false;
  }
}
