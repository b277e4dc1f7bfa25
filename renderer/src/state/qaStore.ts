import { create } from 'zustand';
import type { QaComparison, QaPart } from '../../../shared/qa';
import type { QaTask } from '../../../shared/qa-workstation';
import type { TaskBundle } from '../../../shared/queue';
import { api } from '../api';
import {
  choicesOf,
  classificationOf,
  type PartChoice,
  type PartChoices,
  withChoice,
} from '../logic/qaClassification';
import { showBundle } from './actions';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { exclusive, messageOf } from './transition';
import { closeDialog } from './uiStore';
import { loadWork } from './workStore';

/** Blind QA re-rating: my QA tasks, and the comparison of one re-rating with its classification. */
export interface QaUiState {
  tasks: QaTask[] | null;
  projects: { id: string; name: string }[];
  projectId: string;
  loading: boolean;
  error: string | null;
  status: string | null;
  /** the comparison on screen (after the re-rating was submitted), with the re-rater's letters */
  comparison: QaComparison | null;
  order: readonly string[];
  bundle: TaskBundle | null;
  choices: PartChoices;
}

export const useQa = create<QaUiState>(() => ({
  tasks: null,
  projects: [],
  projectId: '',
  loading: false,
  error: null,
  status: null,
  comparison: null,
  order: [],
  bundle: null,
  choices: {},
}));

async function leaveTask(): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'qa', bundle: null });
  loadWork(null);
}

/** The QA section: my QA tasks (from this computer), and the projects QA work may come from. */
export async function goToQa(status: string | null = null): Promise<void> {
  await leaveTask();
  useQa.setState({ comparison: null, bundle: null, loading: true, error: null, status });
  try {
    useQa.setState({ tasks: (await api.qa.list({})).tasks });
  } catch (cause) {
    useQa.setState({ error: messageOf(cause) });
  } finally {
    useQa.setState({ loading: false });
  }
  // the project choice is a convenience: offline, or for a role without dashboards, "any project"
  if (useQa.getState().projects.length === 0)
    api.metrics.projects({}).then(
      ({ projects }) => useQa.setState({ projects }),
      () => undefined,
    );
}

/** QA work from the server (the chosen project, or any); the tasks arrive with a sync. */
export async function leaseQa(): Promise<void> {
  const { projectId } = useQa.getState();
  useQa.setState({ loading: true, error: null, status: null });
  try {
    const result = await api.qa.lease(projectId ? { projectId } : {});
    useQa.setState({
      tasks: result.tasks,
      status:
        result.leased === 0
          ? 'No QA work to lease right now.'
          : `${result.leased} task${result.leased === 1 ? '' : 's'} to re-rate leased; ${result.open} more open.`,
    });
  } catch (cause) {
    useQa.setState({ error: messageOf(cause) });
  } finally {
    useQa.setState({ loading: false });
  }
}

/** A QA task on the labeling screen: qa mode, nothing of the original. */
export const openQaTask = (taskId: string) =>
  exclusive('open', async () => {
    try {
      showBundle(await api.qa.open({ taskId }));
    } catch (cause) {
      useQa.setState({ error: messageOf(cause) });
    }
  });

/** After submit (or from the list): the comparison, the re-rating sent first if it is still here. */
export async function showComparison(taskId: string, status: string | null = null): Promise<void> {
  await leaveTask();
  useQa.setState({ loading: true, error: null, status, comparison: null });
  try {
    // the letters as the re-rater saw them: their own seeded order, from this computer
    const bundle = await api.qa.open({ taskId });
    const comparison = await api.qa.comparison({ taskId });
    useQa.setState({ comparison, bundle, order: bundle.presentedOrder, choices: choicesOf(comparison) });
  } catch (cause) {
    useQa.setState({ error: messageOf(cause) });
    useQa.setState({ tasks: (await api.qa.list({}).catch(() => null))?.tasks ?? useQa.getState().tasks });
  } finally {
    useQa.setState({ loading: false });
  }
}

export function choose(part: QaPart, change: Partial<PartChoice>): void {
  useQa.setState((s) => ({ choices: withChoice(s.choices, part, change) }));
}

/** Stores the classification on the server; a later one replaces it. */
export async function saveClassification(): Promise<void> {
  const { comparison, choices } = useQa.getState();
  if (!comparison) return;
  const chosen = classificationOf(choices);
  if ('missing' in chosen) {
    useQa.setState({ error: chosen.missing, status: null });
    return;
  }
  useQa.setState({ loading: true, error: null, status: null });
  try {
    const saved = await api.qa.classify({ taskId: comparison.task.id, classification: chosen });
    useQa.setState({
      comparison: saved,
      choices: choicesOf(saved),
      status: `Classification of ${comparison.task.id} stored (${chosen.parts.length} part${chosen.parts.length === 1 ? '' : 's'}).`,
    });
  } catch (cause) {
    useQa.setState({ error: messageOf(cause) });
  } finally {
    useQa.setState({ loading: false });
  }
}
