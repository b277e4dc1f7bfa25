import { create } from 'zustand';
import type { WorkState } from '../../../shared/label';
import { emptyWorkState } from '../../../shared/work-state';
import type { TaskBundle } from '../../../shared/queue';
import { presentedRanks } from '../logic/ranking';

/**
 * What the reviewer has entered on the open task. `version` goes up on every edit so
 * autosave can tell which state it stored.
 */
export interface WorkStoreState {
  taskId: string | null;
  work: WorkState;
  version: number;
}

export const useWork = create<WorkStoreState>(() => ({ taskId: null, work: emptyWorkState(), version: 0 }));

/** The state a task opens in: the saved draft (or label), else a fresh one. */
export function initialWork(bundle: TaskBundle): WorkState {
  if (bundle.work) return bundle.work;
  const work = emptyWorkState();
  // a ranking starts as the presented order; the untouched-order check catches a reviewer who keeps it
  if (bundle.task.kind === 'ranking') work.ranks = presentedRanks(bundle.presentedOrder);
  return work;
}

export function loadWork(bundle: TaskBundle | null): void {
  useWork.setState({
    taskId: bundle?.task.id ?? null,
    work: bundle ? initialWork(bundle) : emptyWorkState(),
    version: 0,
  });
}

export function editWork(change: (work: WorkState) => WorkState): void {
  useWork.setState((s) => ({ work: change(s.work), version: s.version + 1 }));
}
