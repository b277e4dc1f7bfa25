/**
 * Where the task screen's scrollers stand, learnt from their scroll events. Reading or writing
 * `scrollTop` while the DOM has pending changes forces a layout before the frame (measured: 4–9
 * ms when the task swaps); a scroller known to be at its origin needs no write at all.
 */
const moved = new Set<HTMLElement>();

function onScroll(event: Event): void {
  const el = event.target;
  if (!(el instanceof HTMLElement) || !el.hasAttribute('data-task-scroller')) return;
  // inside a scroll event layout is current: these reads cost nothing
  if (el.scrollTop === 0 && el.scrollLeft === 0) moved.delete(el);
  else moved.add(el);
}

let listening = false;

/** Starts following scrollers (once; scroll events do not bubble, so the listener captures). */
export function followScrollers(): void {
  if (listening) return;
  listening = true;
  document.addEventListener('scroll', onScroll, { capture: true, passive: true });
}

/** Puts every scroller that moved back at its origin (the others are left alone: no layout). */
export function resetScrollers(): void {
  for (const el of moved) {
    if (el.isConnected) {
      el.scrollTop = 0;
      el.scrollLeft = 0;
    }
  }
  moved.clear();
}
