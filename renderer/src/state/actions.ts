import { flushSync } from 'react-dom';
import type { CheckId, WorkState } from '../../../shared/label';
import { judgementOf, scoreItem } from '../../../shared/training/grade';
import { runChecks } from '../../../shared/checks';
import type { EscalationReason, SkipReason, TaskBundle } from '../../../shared/queue';
import { api } from '../api';
import { isReadOnly, landsOnTraining } from '../logic/trainingOverview';
import { activeMs, restartClock } from './activeClock';
import { cancelAutosave, flushDraft, resetSaveState } from './autosave';
import { submitRuling } from './leadStore';
import { showComparison } from './qaStore';
import { serial } from './serial';
import { useSession } from './sessionStore';
import { startSyncStatus } from './syncStore';
import { refreshTraining } from './trainingStore';
import { prepareFirst, prepareNext } from './prepareNext';
import { exclusive, fail, isBusy } from './transition';
import { loadWork, useWork } from './workStore';
import { closeDialog, resetTaskUi, useUi } from './uiStore';

export async function refreshSummary(): Promise<void> {
  try {
    useSession.setState({ summary: await api.queue.summary({}) });
  } catch (cause) {
    fail('Could not read the queue', cause);
  }
}

/** Puts a bundle on screen (or the all-done state) in one synchronous store update. */
export function showBundle(bundle: TaskBundle | null): void {
  const sameTask = bundle !== null && bundle.task.id === useSession.getState().bundle?.task.id;
  const { revealed, focusedIndex } = useUi.getState();
  loadWork(bundle);
  resetTaskUi();
  // the same item again (a training answer locked, its feedback, a retry): keep the reviewer's place
  if (sameTask) useUi.setState({ revealed, focusedIndex });
  restartClock(useWork.getState().work.activeMs);
  useSession.setState({ bundle, screen: bundle ? 'task' : 'done', notice: null });
  resetSaveState();
  // counts are not needed for the next frame: fetch them once it is painted
  window.setTimeout(() => void refreshSummary(), 120);
  prepareNext(bundle);
}

/** The first screen from one app.boot reply (issue 12: one call instead of a chain). */
export async function boot(): Promise<void> {
  try {
    const first = await api.app.boot({});
    useSession.setState({ prefs: first.prefs, summary: first.summary });
    if (startSyncStatus(first)) {
      useSession.setState({ screen: 'signin' });
      return;
    }
    // after a crash or restart, land straight on the task the reviewer was on
    if (first.resume) {
      showBundle(first.resume);
      return;
    }
    if (landsOnTraining(first.auth.user?.role, first.summary)) {
      useSession.setState({ screen: 'training' });
      await refreshTraining();
      return;
    }
  } catch (cause) {
    fail('Could not reach the workstation service', cause);
  }
  useSession.setState({ screen: 'queue' });
  prepareFirst();
}

export const startOrResume = () =>
  exclusive('open', async () => {
    try {
      showBundle(await api.task.next({}));
    } catch (cause) {
      fail('Could not open the next task', cause);
    }
  });

export async function openTask(taskId: string): Promise<void> {
  await flushDraft();
  await exclusive('open', async () => {
    try {
      showBundle(await api.task.open({ taskId }));
    } catch (cause) {
      fail('Could not open the task', cause);
    }
  });
}

export async function goToQueue(): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'queue', bundle: null });
  loadWork(null);
  prepareFirst();
  await refreshSummary();
}

function currentWork() {
  return { ...useWork.getState().work, activeMs: activeMs() };
}

/** Ctrl+Enter: check locally first; only a clean task (or acknowledged warnings) goes to the services. */
export function requestSubmit(): void {
  const { bundle } = useSession.getState();
  if (!bundle || isBusy() || isReadOnly(bundle.training)) return;
  const checks = runChecks({
    task: bundle.task,
    work: useWork.getState().work,
    presentedOrder: bundle.presentedOrder,
    template: bundle.template,
    policy: bundle.checkPolicy,
  });
  if (checks.length === 0) {
    void sendSubmit([]);
    return;
  }
  useUi.setState({ dialog: 'submit', submitChecks: checks });
}

export const sendSubmit = (acknowledgedWarnings: CheckId[]) =>
  useSession.getState().bundle?.ruling
    ? submitRuling('label', acknowledgedWarnings)
    : sendTaskSubmit(acknowledgedWarnings);

const sendTaskSubmit = (acknowledgedWarnings: CheckId[]) =>
  exclusive('submit', async () => {
    const taskId = useWork.getState().taskId;
    if (taskId === null) return;
    const training = useSession.getState().bundle?.training;
    cancelAutosave();
    try {
      const work = currentWork();
      if (training) {
        await submitTraining(training, work, acknowledgedWarnings);
        return;
      }
      const qa = useSession.getState().bundle?.qa;
      const outcome = await serial(() => api.label.submit({ taskId, work, acknowledgedWarnings }));
      // a QA re-rating is the same submit; then its comparison, not the production queue's next task
      if (outcome.ok && qa) void showComparison(taskId, `Re-rating of ${taskId} submitted.`);
      else if (outcome.ok) showBundle(outcome.next);
      else useUi.setState({ dialog: 'submit', submitChecks: outcome.checks });
    } catch (cause) {
      closeDialog();
      fail('Submit failed; your entries are still here', cause);
    }
  });

/**
 * A training answer: the same item comes back, locked (exam, calibration) or with its feedback
 * (sandbox). A sandbox item carries its key, so its feedback is on screen in the frame after
 * Ctrl+Enter while the answer is written (the written answer's bundle then replaces it: the same
 * scoring code, the same feedback); the item stays busy until the write is acknowledged, and a
 * refused or failed write puts the entries back, editable.
 */
async function submitTraining(
  training: NonNullable<TaskBundle['training']>,
  work: WorkState,
  acknowledgedWarnings: CheckId[],
): Promise<void> {
  const ref = training.ref;
  const shown = useSession.getState().bundle!;
  const pending = serial(() => api.training.submit({ ref, work, acknowledgedWarnings }));
  const early = training.key !== null;
  if (training.key) {
    const feedback = scoreItem(training.key, judgementOf(shown.task.kind, work, shown.presentedOrder));
    // committed now, inside the key's own task: the panel is in the very next frame
    flushSync(() =>
      showBundle({
        ...shown,
        state: 'submitted',
        work,
        training: { ...training, feedback, attempts: training.attempts + 1 },
      }),
    );
  }
  const restore = () => {
    if (early) showBundle({ ...shown, work });
  };
  try {
    const outcome = await pending;
    // the written answer's feedback is the one on screen (the same scoring code): rendering its
    // copy again would only cost a frame; it replaces the screen when anything shown differs
    if (outcome.ok) {
      if (!early || !sameTrainingView(useSession.getState().bundle, outcome.bundle))
        showBundle(outcome.bundle);
    } else {
      restore();
      useUi.setState({ dialog: 'submit', submitChecks: outcome.checks });
    }
  } catch (cause) {
    restore();
    throw cause;
  }
}

/** Whether two bundles of a training item show the same thing (feedback, tries, what is next). */
function sameTrainingView(shown: TaskBundle | null, written: TaskBundle): boolean {
  const [a, b] = [shown?.training, written.training];
  return (
    shown?.task.id === written.task.id &&
    shown.state === written.state &&
    a !== undefined &&
    b !== undefined &&
    a.attempts === b.attempts &&
    a.locked === b.locked &&
    JSON.stringify(a.next) === JSON.stringify(b.next) &&
    JSON.stringify(a.feedback) === JSON.stringify(b.feedback)
  );
}

export const skipTask = (reason: SkipReason, note: string) =>
  exclusive('skip', async () => {
    const taskId = useWork.getState().taskId;
    if (taskId === null) return;
    cancelAutosave();
    try {
      const work = currentWork();
      const { next } = await serial(() => api.task.skip({ taskId, reason, note, work }));
      showBundle(next);
    } catch (cause) {
      closeDialog();
      fail('Skip failed', cause);
    }
  });

export const escalateTask = (reason: EscalationReason, note: string) =>
  exclusive('escalate', async () => {
    const taskId = useWork.getState().taskId;
    if (taskId === null) return;
    cancelAutosave();
    try {
      const work = currentWork();
      const { next } = await serial(() => api.task.escalate({ taskId, reason, note, work }));
      showBundle(next);
    } catch (cause) {
      closeDialog();
      fail('Escalation failed', cause);
    }
  });

export function toggleLayout(): void {
  const { prefs } = useSession.getState();
  const layout = prefs.layout === 'side' ? 'stacked' : 'side';
  useSession.setState({ prefs: { ...prefs, layout } });
  api.prefs.set({ layout }).catch((cause: unknown) => fail('Could not store the layout', cause));
}
