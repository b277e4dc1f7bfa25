import { useEffect, useRef } from 'react';
import { startOrResume } from '../../state/actions';
import { useSession } from '../../state/sessionStore';

/** Start or resume where the reviewer left off (task.next decides which). Focused on arrival, so Enter works. */
export function StartButton() {
  const summary = useSession((s) => s.summary);
  const busy = useSession((s) => s.busy);
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const resume = summary !== null && (summary.currentTaskId !== null || summary.drafts > 0);
  const empty = summary !== null && summary.pending + summary.drafts === 0;
  return (
    <button
      ref={ref}
      type="button"
      className="btn btn-primary btn-large"
      data-testid="start-button"
      aria-disabled={busy !== null}
      onClick={() => void startOrResume()}
    >
      {resume ? 'Resume reviewing' : empty ? 'Check for tasks' : 'Start reviewing'} <kbd>Enter</kbd>
    </button>
  );
}
