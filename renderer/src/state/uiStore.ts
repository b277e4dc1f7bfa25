import { create } from 'zustand';
import type { CheckResult } from '../../../shared/checks';

export type DialogName = 'submit' | 'escalate' | 'skip' | 'shortcuts' | 'tags';

/** Screen-local interaction state: focus, dialogs, panels. Reset when a task opens. */
export interface UiState {
  /** presentation position of the response keyboard actions apply to */
  focusedIndex: number;
  dialog: DialogName | null;
  /** results shown in the submit dialog (local checks, or the services' answer) */
  submitChecks: CheckResult[];
  /** response id the tag picker edits */
  tagTarget: string | null;
  guidelinesOpen: boolean;
  /** bumped to move focus into the guideline search box */
  guidelineSearchFocus: number;
  /** a section the panel should scroll to and focus (heading text or slug), with a bump per request */
  guidelineTarget: { section: string; request: number } | null;
  /** off a task: the guideline the panel shows (a notice names it); null = the project default */
  guidelineId: string | null;
  instructionsOpen: boolean;
  /** sensitive task: responses revealed by the reviewer */
  revealed: boolean;
  /** a rank-list item is being dragged (keyboard or pointer): global shortcuts stand aside */
  dragging: boolean;
}

export const useUi = create<UiState>(() => ({
  focusedIndex: 0,
  dialog: null,
  submitChecks: [],
  tagTarget: null,
  guidelinesOpen: false,
  guidelineSearchFocus: 0,
  guidelineTarget: null,
  guidelineId: null,
  instructionsOpen: true,
  revealed: false,
  dragging: false,
}));

export function resetTaskUi(): void {
  useUi.setState({ focusedIndex: 0, dialog: null, submitChecks: [], tagTarget: null, revealed: false });
}

export const openDialog = (dialog: DialogName) => useUi.setState({ dialog });
export const closeDialog = () => useUi.setState({ dialog: null });

/** Opens the guidelines panel at a section (feedback's "Read the guideline section"). */
// closing the panel forgets the guideline a notice named: the next opening shows the default again
useUi.subscribe((state, previous) => {
  if (previous.guidelinesOpen && !state.guidelinesOpen && state.guidelineId !== null)
    useUi.setState({ guidelineId: null });
});

export function openGuidelineSection(section: string, guidelineId: string | null = null): void {
  useUi.setState((s) => ({
    guidelinesOpen: true,
    guidelineId,
    guidelineTarget: { section, request: (s.guidelineTarget?.request ?? 0) + 1 },
  }));
}
