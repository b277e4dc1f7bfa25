import type { RulingContext } from '../../../../shared/queue';
import { useSession } from '../../state/sessionStore';
import { DraftGuidelineButton } from '../lead/DraftGuidelineButton';

/** On a lead's ruling: whose escalation it is and why, above the controls (their work is in them). */
export function RulingContextPanel({ ruling }: { ruling: RulingContext }) {
  const task = useSession((s) => s.bundle?.task);
  return (
    <section className="ruling-note" aria-labelledby="ruling-context" data-testid="ruling-context">
      <h2 id="ruling-context">Escalated by {ruling.reviewer}</h2>
      <p>
        {ruling.reason.replace(/-/g, ' ')}
        {ruling.overdue ? ' · overdue' : ''}
      </p>
      {ruling.note && <p className="lead-note">“{ruling.note}”</p>}
      <p className="muted">Their work so far is filled in below: change it to your judgement.</p>
      {task && (
        <DraftGuidelineButton
          escalationId={ruling.escalationId}
          taskId={task.id}
          guidelineId={task.guideline ?? 'default'}
        />
      )}
    </section>
  );
}
