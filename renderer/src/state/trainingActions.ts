import type { TrainingRef } from '../../../shared/training/ref';
import { api } from '../api';
import { showBundle } from './actions';
import { flushDraft } from './autosave';
import { useSession } from './sessionStore';
import { refreshTraining, rememberExamItem, setStartError, useTraining } from './trainingStore';
import { exclusive, fail, messageOf, settled } from './transition';
import { closeDialog } from './uiStore';
import { loadWork } from './workStore';

/** Moving between the Training area and training items on the labeling screen. */

export async function goToTraining(): Promise<void> {
  await flushDraft();
  closeDialog();
  useSession.setState({ screen: 'training', bundle: null });
  loadWork(null);
  await refreshTraining();
}

/** Opens a training item; `returnTo` names the control that opened it (focused again on the way back). */
export async function openTrainingItem(ref: TrainingRef, returnTo?: string): Promise<void> {
  await flushDraft();
  if (returnTo !== undefined) useTraining.setState({ returnTo });
  await exclusive('open', async () => {
    try {
      showBundle(await api.training.open({ ref }));
      rememberExamItem(ref);
    } catch (cause) {
      fail('Could not open the training item', cause);
    }
  });
}

/** Starts an attempt (the server draws the items, so this needs the network) and opens its first item. */
export const startExam = (examId: string) =>
  exclusive('start', async () => {
    setStartError(examId, null);
    useTraining.setState({ returnTo: `exam:${examId}` });
    try {
      const { first } = await api.training.startExam({ examId });
      showBundle(await api.training.open({ ref: first }));
      rememberExamItem(first);
    } catch (cause) {
      setStartError(examId, messageOf(cause));
    }
  });

/**
 * Shadowing: the trainee's unfinished set of the project, else a new one the server draws (needs
 * the network); opens its first task without an answer.
 */
export const startShadow = (projectId: string) =>
  exclusive('start', async () => {
    const key = `shadow:${projectId}`;
    setStartError(key, null);
    useTraining.setState({ returnTo: key });
    try {
      const { first } = await api.training.startShadow({ projectId });
      showBundle(await api.training.open({ ref: first }));
    } catch (cause) {
      setStartError(key, messageOf(cause));
    }
  });

/**
 * A shadowing answer on screen whose reviewer label has not come yet: after a sync it may have;
 * the item is read again, and shown if the trainee is still on it.
 */
export async function refreshShadowResult(): Promise<void> {
  const training = useSession.getState().bundle?.training;
  if (!training || training.ref.kind !== 'shadow' || !training.locked || training.feedback) return;
  const ref = training.ref;
  try {
    const bundle = await api.training.open({ ref });
    const still = useSession.getState().bundle?.training?.ref;
    if (
      bundle.training?.feedback &&
      still?.kind === 'shadow' &&
      still.setId === ref.setId &&
      still.taskId === ref.taskId
    )
      showBundle(bundle);
  } catch {
    // the note stays; the next sync tries again
  }
}

/** Sandbox: the same item with a fresh answer; the earlier attempts stay recorded. */
export async function retryItem(): Promise<void> {
  await settled();
  const training = useSession.getState().bundle?.training;
  if (!training || training.ref.kind !== 'sandbox' || training.feedback === null) return;
  const ref = training.ref;
  await exclusive('retry', async () => {
    try {
      showBundle(await api.training.retry({ ref }));
    } catch (cause) {
      fail('Could not start the item again', cause);
    }
  });
}

/** The next item of the course, attempt or round; back to the Training area after the last. */
export async function nextTrainingItem(): Promise<void> {
  await settled();
  const next = useSession.getState().bundle?.training?.next;
  if (next) await openTrainingItem(next);
  else await goToTraining();
}
