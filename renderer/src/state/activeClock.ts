import { type ClockState, input, tick } from '../logic/activeTime';

/**
 * Measures active time on the open task: visible, focused and not idle. Kept outside the
 * React stores on purpose: it changes every second and nothing on screen shows it.
 */
let clock: ClockState = { activeMs: 0, lastTick: performance.now(), lastInput: performance.now() };

const attentive = () => document.visibilityState === 'visible' && document.hasFocus();

function advance(): void {
  clock = tick(clock, performance.now(), attentive());
}

/** Starts counting a task from the active time it already had (a restored draft). */
export function restartClock(activeMs: number): void {
  const now = performance.now();
  clock = { activeMs, lastTick: now, lastInput: now };
}

export function activeMs(): number {
  advance();
  return clock.activeMs;
}

let installed = false;

export function installActiveClock(): void {
  if (installed) return;
  installed = true;
  const onInput = () => {
    advance();
    clock = input(clock, performance.now());
  };
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll'] as const) {
    window.addEventListener(type, onInput, { capture: true, passive: true });
  }
  // settle the span before the page's attention changes, so it is credited (or not) correctly
  document.addEventListener('visibilitychange', advance);
  window.addEventListener('blur', advance);
  window.addEventListener('focus', advance);
  window.setInterval(advance, 1000);
}
