import { useEffect } from 'react';
import type { PreferenceStrength } from '../../../shared/label';
import { isReadOnly } from '../logic/trainingOverview';
import { goToQueue, requestSubmit, startOrResume, toggleLayout } from '../state/actions';
import { focusRationale, focusResponse, focusedResponseId } from '../state/focus';
import { showNotice, useSession } from '../state/sessionStore';
import { goToAudit } from '../state/auditStore';
import { goToLead } from '../state/leadStore';
import { goToQa } from '../state/qaStore';
import { goToMetrics } from '../state/metricsStore';
import { syncNow, useSync } from '../state/syncStore';
import { goToTraining, nextTrainingItem, retryItem } from '../state/trainingActions';
import { openDialog, useUi } from '../state/uiStore';
import { choosePairwise, chooseStrength, rankResponse, tieResponse } from '../state/workActions';
import { digitOf, isTypingTarget } from './keys';
import { SHORTCUTS, type Scope, type ShortcutId } from './table';

const STRENGTHS: PreferenceStrength[] = ['significantly', 'better', 'slightly', 'negligibly', 'unsure'];
export const QUEUE_LIST_EVENT = 'rw:queue-list';
export const IMPORT_EVENT = 'rw:import';

type Handler = (e: KeyboardEvent) => void;

function closeGuidelines(): void {
  useUi.setState({ guidelinesOpen: false });
  // the panel took the focus when it opened: hand it back to the task
  if (useSession.getState().screen === 'task') focusResponse(useUi.getState().focusedIndex);
}

function toggleGuidelines(): void {
  if (useUi.getState().guidelinesOpen) closeGuidelines();
  else useUi.setState({ guidelinesOpen: true });
}

/** On a training item whose answer is locked or shows its feedback. */
function onReadOnlyItem(): boolean {
  const { screen, bundle } = useSession.getState();
  return screen === 'task' && isReadOnly(bundle?.training);
}

function withFocused(run: (responseId: string) => void): void {
  const id = focusedResponseId();
  if (id) run(id);
}

const handlers: Partial<Record<ShortcutId, Handler>> = {
  help: () => openDialog('shortcuts'),
  guidelines: toggleGuidelines,
  guidelineSearch: () =>
    useUi.setState((s) => ({ guidelinesOpen: true, guidelineSearchFocus: s.guidelineSearchFocus + 1 })),
  escape: (e) => {
    if (isTypingTarget(e.target)) {
      (e.target as HTMLElement).blur();
      focusResponse(useUi.getState().focusedIndex);
    } else if (useUi.getState().guidelinesOpen) {
      closeGuidelines();
    } else if (onReadOnlyItem()) {
      void goToTraining();
    } else {
      showNotice(null);
    }
  },
  start: () => void startOrResume(),
  import: () => window.dispatchEvent(new Event(IMPORT_EVENT)),
  queueList: (e) => window.dispatchEvent(new CustomEvent(QUEUE_LIST_EVENT, { detail: digitOf(e)! - 1 })),
  backToQueue: () => void goToQueue(),
  training: () => void goToTraining(),
  metrics: () => void goToMetrics(),
  lead: () => void goToLead(),
  qa: () => void goToQa(),
  audit: () => {
    if (useSync.getState().auth?.user?.role === 'admin') void goToAudit();
  },
  retry: () => void retryItem(),
  nextItem: () => void nextTrainingItem(),
  syncNow: () => void syncNow(),
  nextResponse: () => focusResponse(useUi.getState().focusedIndex + 1),
  prevResponse: () => focusResponse(useUi.getState().focusedIndex - 1),
  tags: () => withFocused((id) => useUi.setState({ dialog: 'tags', tagTarget: id })),
  rationale: () => focusRationale(),
  instructions: () => useUi.setState((s) => ({ instructionsOpen: !s.instructionsOpen })),
  layout: () => toggleLayout(),
  reveal: () => useUi.setState({ revealed: true }),
  escalate: () => openDialog('escalate'),
  skip: () => openDialog('skip'),
  submit: () => requestSubmit(),
  rank: (e) => withFocused((id) => rankResponse(id, digitOf(e)!)),
  tie: (e) => withFocused((id) => tieResponse(id, digitOf(e)!)),
  pickA: () => choosePairwise('A'),
  pickB: () => choosePairwise('B'),
  pickTie: () => choosePairwise('tie'),
  strength: (e) => chooseStrength(STRENGTHS[digitOf(e)! - 1]!),
};

function activeScopes(): Scope[] {
  const { screen, bundle } = useSession.getState();
  if (screen === 'task' && bundle) {
    // a locked answer or one showing its feedback: no ranking or choosing, but R / N / Esc
    if (isReadOnly(bundle.training)) return ['Anywhere', 'Training item', 'Task'];
    return ['Anywhere', 'Task', bundle.task.kind === 'ranking' ? 'Ranking' : 'Pairwise'];
  }
  if (screen === 'queue' || screen === 'done') return ['Anywhere', 'Queue'];
  if (screen === 'training' || screen === 'metrics' || screen === 'lead') return ['Anywhere'];
  if (screen === 'audit') return ['Anywhere'];
  if (screen === 'qa') return ['Anywhere'];
  return [];
}

/** Task keys that training items do not offer (no skip or escalation), or not once answered. */
function offered(id: ShortcutId): boolean {
  const bundle = useSession.getState().bundle;
  // a lead's ruling: no skipping or escalating what was escalated to them
  if (bundle?.ruling && (id === 'escalate' || id === 'skip')) return false;
  // a QA re-rating: the sampled task is judged, never set aside
  if (bundle?.qa && (id === 'escalate' || id === 'skip')) return false;
  const training = bundle?.training;
  if (!training || useSession.getState().screen !== 'task') return true;
  if (id === 'escalate' || id === 'skip') return false;
  if (id === 'tags' || id === 'submit') return !isReadOnly(training);
  return true;
}

/** Arrow keys keep their native meaning (scrolling, radio groups) except on a response card or the page. */
function arrowsFree(target: EventTarget | null): boolean {
  return (
    target === document.body || (target instanceof HTMLElement && target.dataset.responseBody !== undefined)
  );
}

/** Enter starts reviewing only when no button or link has the focus (they keep their own Enter). */
function enterFree(target: EventTarget | null): boolean {
  return (
    target === document.body ||
    target === null ||
    (target instanceof HTMLElement && target.tagName === 'MAIN')
  );
}

const INTERACTIVE =
  'button, a, input, textarea, select, summary, [role="button"], [role="link"], [role="tab"]';

/** Enter goes to the next training item from anywhere but a control that has its own Enter. */
const enterFreeForNext = (target: EventTarget | null) =>
  !(target instanceof HTMLElement) || target.closest(INTERACTIVE) === null;

function onKeyDown(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing) return;
  const ui = useUi.getState();
  // dialogs and drag-and-drop handle their own keys
  if (ui.dialog !== null || ui.dragging) return;
  const typing = isTypingTarget(e.target);
  const scopes = activeScopes();
  for (const entry of SHORTCUTS) {
    if (!('test' in entry) || !scopes.includes(entry.scope)) continue;
    if (typing && !('whileTyping' in entry && entry.whileTyping)) continue;
    if (!entry.test(e)) continue;
    if (e.key.startsWith('Arrow') && !arrowsFree(e.target)) continue;
    if (entry.id === 'start' && !enterFree(e.target)) continue;
    if (entry.id === 'nextItem' && e.key === 'Enter' && !enterFreeForNext(e.target)) continue;
    if (!offered(entry.id)) continue;
    const handler = handlers[entry.id];
    if (!handler) continue;
    e.preventDefault();
    handler(e);
    return;
  }
}

/** One keydown listener for the whole app, driven by the shortcut table. */
export function useGlobalKeys(): void {
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
