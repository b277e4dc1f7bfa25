import { useId } from 'react';
import { keyHint } from '../../shortcuts/table';
import { requestSubmit } from '../../state/actions';
import { submitRuling, useLead } from '../../state/leadStore';
import { useSession } from '../../state/sessionStore';

/**
 * A lead's ruling footer: why (sent to the reviewer), what to do next time, and the two decisions:
 * the judgement on screen becomes the label (Ctrl+Enter, after the submit checks), or the task goes
 * back to the reviewer with the guidance.
 */
export function RulingBar() {
  const id = useId();
  const busy = useSession((s) => s.busy);
  const explanation = useLead((s) => s.explanation);
  const guidance = useLead((s) => s.guidance);
  const missing = explanation.trim() === '';
  return (
    <div className="submit-bar ruling-bar" data-testid="ruling-bar">
      <label htmlFor={`${id}-why`} className="ruling-label">
        Why (the reviewer reads this)
      </label>
      <textarea
        id={`${id}-why`}
        rows={3}
        value={explanation}
        onChange={(e) => useLead.setState({ explanation: e.target.value })}
        data-testid="ruling-explanation"
      />
      <label htmlFor={`${id}-next`} className="ruling-label">
        What to do next time (optional)
      </label>
      <textarea
        id={`${id}-next`}
        rows={2}
        value={guidance}
        onChange={(e) => useLead.setState({ guidance: e.target.value })}
      />
      <div className="submit-actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-disabled={busy !== null || missing}
          aria-keyshortcuts="Control+Enter"
          onClick={() => !missing && requestSubmit()}
        >
          Rule with my judgement <kbd>{keyHint('submit')}</kbd>
        </button>
        <button
          type="button"
          className="btn"
          aria-disabled={busy !== null || missing}
          onClick={() => !missing && void submitRuling('return')}
        >
          Send back with guidance
        </button>
      </div>
      {missing && <p className="check-summary">Write why first: it goes to the reviewer with the ruling.</p>}
    </div>
  );
}
