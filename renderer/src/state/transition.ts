import { type Busy, showNotice, useSession } from './sessionStore';

export const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function fail(what: string, cause: unknown): void {
  showNotice({ kind: 'error', text: `${what}: ${messageOf(cause)}` });
}

/** Runs one task transition at a time; a second key press while one is in flight is ignored. */
export async function exclusive(kind: Exclude<Busy, null>, job: () => Promise<void>): Promise<void> {
  if (useSession.getState().busy) return;
  useSession.setState({ busy: kind });
  const run = (async () => {
    try {
      await job();
    } finally {
      useSession.setState({ busy: null });
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
