import { create } from 'zustand';
import type { DashboardSnapshot } from '../../../shared/metrics/dashboard';
import { api } from '../api';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { messageOf } from './transition';
import { closeDialog } from './uiStore';
import { loadWork } from './workStore';

export type MetricsTab = 'overview' | 'reviewers' | 'items' | 'calibration';

/** The quality dashboards' state: which project and pod, the data last read, the tab. */
export interface MetricsUiState {
  projects: { id: string; name: string }[] | null;
  projectId: string | null;
  /** admin: a pod or null for all; lead and reviewer: their own (the server decides) */
  podId: string | null;
  snapshot: DashboardSnapshot | null;
  loading: boolean;
  error: string | null;
  tab: MetricsTab;
  /** the reviewer open in the drill-down */
  reviewerId: string | null;
}

export const useMetrics = create<MetricsUiState>(() => ({
  projects: null,
  projectId: null,
  podId: null,
  snapshot: null,
  loading: false,
  error: null,
  tab: 'overview',
  reviewerId: null,
}));

/** Opens the dashboards: the project list, then the first (or last chosen) project's figures. */
export async function goToMetrics(): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'metrics', bundle: null });
  loadWork(null);
  useMetrics.setState({ loading: true, error: null });
  try {
    const { projects } = await api.metrics.projects({});
    const chosen = useMetrics.getState().projectId;
    const projectId = projects.some((p) => p.id === chosen) ? chosen : (projects[0]?.id ?? null);
    useMetrics.setState({ projects, projectId });
    if (projectId) await loadDashboard();
  } catch (cause) {
    useMetrics.setState({ error: messageOf(cause) });
  } finally {
    useMetrics.setState({ loading: false });
  }
}

export async function loadDashboard(): Promise<void> {
  const { projectId, podId } = useMetrics.getState();
  if (!projectId) return;
  useMetrics.setState({ loading: true, error: null });
  try {
    const snapshot = await api.metrics.dashboard({ projectId, podId });
    // the answer to the newest question only
    const now = useMetrics.getState();
    if (now.projectId === projectId && now.podId === podId) useMetrics.setState({ snapshot });
  } catch (cause) {
    useMetrics.setState({ error: messageOf(cause), snapshot: null });
  } finally {
    useMetrics.setState({ loading: false });
  }
}

export function chooseProject(projectId: string): void {
  useMetrics.setState({ projectId, podId: null, reviewerId: null });
  void loadDashboard();
}

export function choosePod(podId: string | null): void {
  useMetrics.setState({ podId, reviewerId: null });
  void loadDashboard();
}
