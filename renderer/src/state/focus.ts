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

/**
 * A task swap puts the keyboard target on response `index` at once (the store) and the focus on
 * its card once the swap's frame is painted. focus() brings style and layout up to date on the
 * spot: from the swap's layout effect it laid out the whole new task before its frame, and the
 * frame laid it out again (measured 40–100 ms of forced layout with 4 × 2,000-word answers);
 * after the paint there is nothing left to lay out. A focus the reviewer moved meanwhile (a key,
 * a click) is left where it is.
 */
export function focusResponseAfterPaint(index: number): void {
  useUi.setState({ focusedIndex: index });
  const before = document.activeElement;
  requestAnimationFrame(() =>
    setTimeout(() => {
      const now = document.activeElement;
      if (now !== before && now !== document.body && now !== null) return;
      const target = useUi.getState().focusedIndex;
      document.querySelector<HTMLElement>(`[data-response-body="${target}"]`)?.focus({ preventScroll: true });
    }, 0),
  );
}
