import { useSession } from './sessionStore';
import { useUi } from './uiStore';

/**
 * Moves the keyboard target to response `index` (presentation position) and focuses its card.
 * `scroll: false` when a task opens: no scroll-into-view means no forced layout before paint.
 */
export function focusResponse(index: number, { scroll = true } = {}): void {
  const count = useSession.getState().bundle?.presentedOrder.length ?? 0;
  if (count === 0) return;
  const clamped = Math.max(0, Math.min(index, count - 1));
  useUi.setState({ focusedIndex: clamped });
  document.querySelector<HTMLElement>(`[data-response-body="${clamped}"]`)?.focus({ preventScroll: !scroll });
}

export function focusedResponseId(): string | null {
  const order = useSession.getState().bundle?.presentedOrder ?? [];
  return order[useUi.getState().focusedIndex] ?? null;
}

export function focusRationale(): void {
  document.querySelector<HTMLElement>('[data-rationale-field]')?.focus();
}

/**
 * Focuses an element in the next frame, before it is drawn. focus() brings style and layout up to
 * date on the spot: called from a commit it costs a second layout in the same frame (measured ~10
 * ms after the feedback panel appears); in the frame's own callback it reuses that frame's layout.
 */
export function focusInNextFrame(get: () => HTMLElement | null | undefined): void {
  requestAnimationFrame(() => get()?.focus({ preventScroll: true }));
}
