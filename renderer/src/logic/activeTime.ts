/**
 * Active time, pure: time counts while the page is visible and focused and the reviewer
 * gave some input in the last IDLE_AFTER_MS. Each tick credits the span since the previous
 * tick, cut off where idleness began.
 */
export const IDLE_AFTER_MS = 60_000;

export interface ClockState {
  /** active milliseconds so far */
  activeMs: number;
  /** when the previous tick ran (monotonic ms) */
  lastTick: number;
  /** last keyboard/pointer input (monotonic ms) */
  lastInput: number;
}

export function tick(state: ClockState, now: number, attentive: boolean): ClockState {
  if (now <= state.lastTick) return state;
  let credit = 0;
  if (attentive) {
    const activeUntil = Math.min(now, state.lastInput + IDLE_AFTER_MS);
    credit = Math.max(0, activeUntil - state.lastTick);
  }
  return { ...state, activeMs: state.activeMs + Math.round(credit), lastTick: now };
}

export function input(state: ClockState, now: number): ClockState {
  return { ...state, lastInput: now };
}
