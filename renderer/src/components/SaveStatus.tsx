import { useEffect, useState } from 'react';
import { relativeTime } from '../logic/relativeTime';
import { type SaveStatus as Status, useSave } from '../state/saveStore';

const ANNOUNCE: Record<Status, string> = {
  idle: 'No changes yet',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved, retrying',
  manual: 'Editing a submitted label: resubmit to keep changes',
};

/** "Saved 2s ago". The live region carries only the state, so the ticking age is not re-announced. */
export function SaveStatus() {
  const { status, savedAt, message } = useSave();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 5000);
    return () => window.clearInterval(id);
  }, []);
  const age =
    status === 'saved' && savedAt !== null ? ` ${relativeTime(savedAt, Math.max(now, savedAt))}` : '';
  return (
    <span
      className={`save-status save-${status}`}
      data-testid="save-status"
      data-status={status}
      title={message ?? ''}
    >
      <span className="save-dot" aria-hidden="true" />
      <span role="status">{ANNOUNCE[status]}</span>
      <span aria-hidden="true">{age}</span>
    </span>
  );
}
