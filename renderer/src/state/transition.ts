import { type Busy, showNotice, useSession } from './sessionStore';

export const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function fail(what: string, cause: unknown): void {
  showNotice({ kind: 'error', text: `${what}: ${messageOf(cause)}` });
}

/** Runs one task transition at a time; a second key press while one is in flight is ignored. */
export async function exclusive(kind: Exclude<Busy, null>, job: () => Promise<void>): Promise<void> {
  if (useSession.getState().busy) return;
  useSession.setState({ busy: kind });
  try {
    await job();
  } finally {
    useSession.setState({ busy: null });
  }
}
