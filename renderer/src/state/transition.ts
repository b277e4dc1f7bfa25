import { type Busy, showNotice, useSession } from './sessionStore';

export const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function fail(what: string, cause: unknown): void {
  showNotice({ kind: 'error', text: `${what}: ${messageOf(cause)}` });
}

/** A reply sooner than this paints no "busy" frame: the screen goes straight to what comes next. */
export const SHOW_BUSY_AFTER_MS = 150;

/** the transition in flight (kept here at once; the store hears of it only if it takes a while) */
let running: Busy = null;

/** whether a transition is in flight, shown or not yet */
export const isBusy = (): boolean => running !== null || useSession.getState().busy !== null;

/**
 * Runs one task transition at a time; a second key press while one is in flight is ignored. The
 * store's `busy` (disabled buttons, the busy look) is set only once the job has taken
 * SHOW_BUSY_AFTER_MS: a submit answered sooner renders nothing between the keypress and the next task.
 */
export async function exclusive(kind: Exclude<Busy, null>, job: () => Promise<void>): Promise<void> {
  if (isBusy()) return;
  running = kind;
  const shown = window.setTimeout(() => useSession.setState({ busy: kind }), SHOW_BUSY_AFTER_MS);
  const run = (async () => {
    try {
      await job();
    } finally {
      window.clearTimeout(shown);
      running = null;
      if (useSession.getState().busy !== null) useSession.setState({ busy: null });
    }
  })();
  inFlight = run;
  await run;
}

let inFlight: Promise<void> = Promise.resolve();

/**
 * Resolves once the transition in flight, if any, has ended: a step the screen already offers
 * (Next item while a practice answer's feedback shows and its write is still being acknowledged)
 * waits for it instead of being dropped.
 */
export const settled = (): Promise<void> => inFlight.catch(() => undefined);
