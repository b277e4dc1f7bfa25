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
export function openGuidelineSection(section: string): void {
  useUi.setState((s) => ({
    guidelinesOpen: true,
    guidelineTarget: { section, request: (s.guidelineTarget?.request ?? 0) + 1 },
  }));
}
