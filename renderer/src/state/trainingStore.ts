import { create } from 'zustand';
import type { TrainingRef } from '../../../shared/training/ref';
import type { TrainingOverview } from '../../../shared/training/workstation';
import { api } from '../api';
import { messageOf } from './transition';

/** The Training area's data (courses, exams, certificates, rounds) as the services last reported it. */
export interface TrainingUiState {
  overview: TrainingOverview | null;
  /** why the overview could not be read, in plain words */
  error: string | null;
  loading: boolean;
  /** per exam id: the plain-word reason the last Start was refused (blocked, offline) */
  startErrors: Readonly<Record<string, string>>;
  /** the control that opened the last item: it takes the focus again when the area comes back */
  returnTo: string | null;
  /** per exam attempt: the item last on screen, where "Resume" goes when the overview cannot tell */
  lastExamItem: Readonly<Record<string, TrainingRef>>;
}

export const useTraining = create<TrainingUiState>(() => ({
  overview: null,
  error: null,
  loading: false,
  startErrors: {},
  returnTo: null,
  lastExamItem: {},
}));

/** Remembers the exam item now on screen (the overview lists an open attempt without its items). */
export function rememberExamItem(ref: TrainingRef): void {
  if (ref.kind !== 'exam') return;
  useTraining.setState((s) => ({ lastExamItem: { ...s.lastExamItem, [ref.attemptId]: ref } }));
}

export async function refreshTraining(): Promise<void> {
  useTraining.setState({ loading: true });
  try {
    useTraining.setState({ overview: await api.training.overview({}), error: null });
  } catch (cause) {
    useTraining.setState({ error: messageOf(cause) });
  } finally {
    useTraining.setState({ loading: false });
  }
}

export function setStartError(examId: string, message: string | null): void {
  useTraining.setState((s) => {
    const { [examId]: _dropped, ...rest } = s.startErrors;
    return { startErrors: message === null ? rest : { ...rest, [examId]: message } };
  });
}
