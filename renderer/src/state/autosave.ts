import { api } from '../api';
import { isReadOnly } from '../logic/trainingOverview';
import { activeMs } from './activeClock';
import { selectDirty, useSave } from './saveStore';
import { serial } from './serial';
import { useSession } from './sessionStore';
import { useWork } from './workStore';

const DEBOUNCE_MS = 400;
const RETRY_MS = 3000;
/** unsaved active time worth a save on its own when the window loses attention */
const ACTIVE_TIME_WORTH_SAVING_MS = 5000;

let timer: number | undefined;

/**
 * Submitted labels are edited in place and stored by resubmitting, not as drafts. A training
 * answer saves as a draft until it is submitted; then it is locked or shows its feedback. A
 * lead's ruling saves nothing locally.
 */
const savesDrafts = () => {
  const { bundle } = useSession.getState();
  if (bundle?.training) return !isReadOnly(bundle.training);
  // a lead's ruling is not a task of their queue: it is kept on screen until ruled
  if (bundle?.ruling) return false;
  return bundle !== null && bundle.state !== 'submitted';
};

export function cancelAutosave(): void {
  window.clearTimeout(timer);
  timer = undefined;
}

function schedule(delay: number): void {
  cancelAutosave();
  timer = window.setTimeout(() => void flushDraft(), delay);
}

/** Stores the draft now if anything (entries or active time) is unsaved. */
export async function flushDraft(force = false): Promise<void> {
  cancelAutosave();
  if (!savesDrafts()) return;
  const { taskId, work, version } = useWork.getState();
  if (taskId === null) return;
  const save = useSave.getState();
  const active = activeMs();
  const dirty = selectDirty(version, save);
  if (!dirty && !force && active - save.savedActiveMs < ACTIVE_TIME_WORTH_SAVING_MS) return;
  useSave.setState({ status: 'saving' });
  try {
    const snapshot = { ...work, activeMs: active };
    const ref = useSession.getState().bundle?.training?.ref;
    await serial(() =>
      ref && ref.taskId === taskId
        ? api.training.save({ ref, work: snapshot })
        : api.draft.save({ taskId, work: snapshot }),
    );
    if (useWork.getState().taskId !== taskId) return;
    const newer = useWork.getState().version !== version;
    useSave.setState({
      status: newer ? 'pending' : 'saved',
      savedAt: Date.now(),
      savedVersion: version,
      savedActiveMs: active,
      message: null,
    });
    if (newer) schedule(DEBOUNCE_MS);
  } catch (cause) {
    if (useWork.getState().taskId !== taskId) return;
    const message = cause instanceof Error ? cause.message : String(cause);
    useSave.setState({ status: 'error', message });
    schedule(RETRY_MS);
  }
}

/** A new task is on screen: its stored state is the baseline. */
export function resetSaveState(): void {
  cancelAutosave();
  const restored = useSession.getState().bundle?.work != null;
  useSave.setState({
    status: !savesDrafts() ? 'manual' : restored ? 'saved' : 'idle',
    savedAt: null,
    savedVersion: 0,
    savedActiveMs: useWork.getState().work.activeMs,
    message: null,
  });
}

let installed = false;

/** Debounced save after each edit, and an immediate one whenever the page may go away. */
export function installAutosave(): void {
  if (installed) return;
  installed = true;
  useWork.subscribe((state, previous) => {
    if (state.version === previous.version || state.taskId !== previous.taskId || state.version === 0) return;
    if (!savesDrafts()) return;
    useSave.setState({ status: 'pending' });
    schedule(DEBOUNCE_MS);
  });
  const flushNow = () => void flushDraft();
  window.addEventListener('blur', flushNow);
  window.addEventListener('pagehide', flushNow);
  window.addEventListener('beforeunload', flushNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushNow();
  });
}
