import { create } from 'zustand';
import type { CheckId } from '../../../shared/label';
import type { InboxPage } from '../../../shared/lead';
import { api } from '../api';
import { showBundle } from './actions';
import { activeMs } from './activeClock';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { exclusive, fail, messageOf } from './transition';
import { closeDialog, useUi } from './uiStore';
import { needsPodChoice, podScope, useLeadWorkspace } from './leadWorkspaceStore';
import { useSync } from './syncStore';
import { loadWork, useWork } from './workStore';

/** The lead workspace: the pod's open escalations, and the ruling being written. */
export interface LeadUiState {
  inbox: InboxPage | null;
  loading: boolean;
  error: string | null;
  /** the last ruling sent, in words */
  status: string | null;
  explanation: string;
  guidance: string;
  /** the last ruling that became the task's label: it can be promoted from the status line */
  ruled: { escalationId: string; taskId: string } | null;
}

export const useLead = create<LeadUiState>(() => ({
  inbox: null,
  loading: false,
  error: null,
  status: null,
  explanation: '',
  guidance: '',
  ruled: null,
}));

export async function goToLead(status: string | null = null): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'lead', bundle: null });
  useLeadWorkspace.setState({ view: 'inbox', promoting: null });
  loadWork(null);
  // an admin belongs to no pod: nothing to list until they name one (the screen asks)
  if (needsPodChoice(useSync.getState().auth?.user?.role)) {
    useLead.setState({ inbox: null, loading: false, error: null, status });
    return;
  }
  useLead.setState({ loading: true, error: null, status });
  try {
    useLead.setState({ inbox: await api.lead.inbox(podScope()) });
  } catch (cause) {
    useLead.setState({ error: messageOf(cause) });
  } finally {
    useLead.setState({ loading: false });
  }
}

/** An escalation on the labeling screen, the reviewer's work to start from. */
export const openEscalation = (escalationId: string) =>
  exclusive('open', async () => {
    try {
      const bundle = await api.lead.open({ escalationId, ...podScope() });
      useLead.setState({ explanation: '', guidance: '', ruled: null });
      showBundle(bundle);
    } catch (cause) {
      useLead.setState({ error: messageOf(cause) });
    }
  });

/**
 * Sends the ruling: 'label' rules with the judgement on screen (the submit checks first, as for a
 * reviewer), 'return' sends the task back with the guidance. Back to the inbox when it is done.
 */
export const submitRuling = (decision: 'label' | 'return', acknowledgedWarnings: CheckId[] = []) =>
  exclusive('submit', async () => {
    const ruling = useSession.getState().bundle?.ruling;
    if (!ruling) return;
    const { explanation, guidance } = useLead.getState();
    try {
      const outcome = await api.lead.submitRuling({
        escalationId: ruling.escalationId,
        ...podScope(),
        decision,
        work: { ...useWork.getState().work, activeMs: activeMs() },
        explanation,
        guidance,
        acknowledgedWarnings,
      });
      if (!outcome.ok) {
        useUi.setState({ dialog: 'submit', submitChecks: outcome.checks });
        return;
      }
      const words =
        decision === 'label'
          ? `Ruled on ${outcome.ruling.taskId}: your judgement is its label; ${ruling.reviewer} is told at their next sync.`
          : `Sent ${outcome.ruling.taskId} back to ${ruling.reviewer} with your guidance.`;
      useLead.setState({
        ruled:
          decision === 'label' ? { escalationId: ruling.escalationId, taskId: outcome.ruling.taskId } : null,
      });
      await goToLead(words);
    } catch (cause) {
      fail('The ruling was not sent', cause);
    }
  });
