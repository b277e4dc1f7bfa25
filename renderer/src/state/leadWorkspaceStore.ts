import { create } from 'zustand';
import type { EscalationItem } from '../../../shared/lead';
import type { PodReviewers } from '../../../shared/lead-workstation';
import { api } from '../api';
import { useSync } from './syncStore';
import { messageOf } from './transition';

/** The lead workspace's views besides the open escalations (docs/lead-workspace.md, "The lead's screens"). */
export type LeadView = 'inbox' | 'ruled' | 'reviewers';

export interface LeadWorkspaceState {
  view: LeadView;
  /** ruled escalations of the pod, newest first (promotion starts here) */
  ruled: EscalationItem[] | null;
  reviewers: PodReviewers | null;
  /** an admin (who belongs to no pod) names the pod whose reviewers to list */
  podId: string;
  /** the reviewer whose actions are open */
  reviewerId: string | null;
  loading: boolean;
  error: string | null;
  /** the ruled escalation being promoted (the dialog is open while set) */
  promoting: EscalationItem | null;
}

export const useLeadWorkspace = create<LeadWorkspaceState>(() => ({
  view: 'inbox',
  ruled: null,
  reviewers: null,
  podId: '',
  reviewerId: null,
  loading: false,
  error: null,
  promoting: null,
}));

async function load(job: () => Promise<Partial<LeadWorkspaceState>>): Promise<void> {
  useLeadWorkspace.setState({ loading: true, error: null });
  try {
    useLeadWorkspace.setState(await job());
  } catch (cause) {
    useLeadWorkspace.setState({ error: messageOf(cause) });
  } finally {
    useLeadWorkspace.setState({ loading: false });
  }
}

/** The pod an admin named (a lead's calls name none: the server uses their own pod). */
export function podScope(): { podId?: string } {
  const podId = useLeadWorkspace.getState().podId.trim();
  return podId ? { podId } : {};
}

/** whether the signed-in account has a pod to work on: its own, or (an admin) one it named */
export const needsPodChoice = (role: string | undefined) =>
  role === 'admin' && podScope().podId === undefined;

export const loadRuled = () =>
  load(async () => ({
    ruled: (await api.lead.inbox({ state: 'ruled', order: 'newest', limit: 100, ...podScope() })).items,
  }));

export const loadReviewers = () => load(async () => ({ reviewers: await api.lead.reviewers(podScope()) }));

export function showLeadView(view: LeadView): void {
  useLeadWorkspace.setState({ view, error: null });
  // an admin's views wait until they name a pod (PodChoice)
  if (needsPodChoice(useSync.getState().auth?.user?.role)) return;
  if (view === 'ruled') void loadRuled();
  if (view === 'reviewers') void loadReviewers();
}

/** Opens the promotion dialog on a ruled escalation (found among the pod's ruled ones). */
export async function promoteEscalation(escalationId: string): Promise<void> {
  const known = useLeadWorkspace.getState().ruled?.find((i) => i.id === escalationId);
  if (known) return useLeadWorkspace.setState({ promoting: known });
  await loadRuled();
  const item = useLeadWorkspace.getState().ruled?.find((i) => i.id === escalationId) ?? null;
  if (!item) useLeadWorkspace.setState({ error: `Escalation ${escalationId} is not among the ruled ones.` });
  useLeadWorkspace.setState({ promoting: item });
}
