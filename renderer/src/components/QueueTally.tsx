import { useSession } from '../state/sessionStore';

/** Compact queue counts for the top bar. */
export function QueueTally() {
  const summary = useSession((s) => s.summary);
  if (!summary) return null;
  const parts: [string, number][] = [
    ['pending', summary.pending],
    ['drafts', summary.drafts],
    ['submitted', summary.submitted],
    ['escalated', summary.escalated],
    ['skipped', summary.skipped],
  ];
  return (
    <span className="tally" role="group" aria-label="Queue counts">
      {parts.map(([label, n]) => (
        <span key={label} className="tally-item">
          <b>{n}</b> {label}
        </span>
      ))}
    </span>
  );
}
