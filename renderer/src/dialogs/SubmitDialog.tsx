import { useEffect, useRef } from 'react';
import type { CheckResult } from '../../../shared/checks';
import { Modal } from '../components/Modal';
import { sendSubmit } from '../state/actions';
import { useSession } from '../state/sessionStore';
import { closeDialog, useUi } from '../state/uiStore';

function CheckList({ title, checks }: { title: string; checks: CheckResult[] }) {
  if (checks.length === 0) return null;
  return (
    <section className="check-group">
      <h3>{title}</h3>
      <ul className="check-list">
        {checks.map((c, i) => (
          <li
            key={`${c.id}-${i}`}
            className={`check check-${c.level}`}
            data-testid={`check-${c.id}`}
            data-level={c.level}
          >
            <span className="check-level">{c.level === 'block' ? 'Must fix' : 'Warning'}</span>
            {c.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Submit checks. Blocks send the reviewer back to the task; warnings alone can be acknowledged
 * with "Submit anyway" (focused, so Enter submits) and travel with the label.
 */
export function SubmitDialog() {
  const checks = useUi((s) => s.submitChecks);
  const busy = useSession((s) => s.busy === 'submit');
  const blocks = checks.filter((c) => c.level === 'block');
  const warnings = checks.filter((c) => c.level === 'warn');
  const primary = useRef<HTMLButtonElement>(null);
  useEffect(() => primary.current?.focus(), []);
  const submitAnyway = () => void sendSubmit([...new Set(warnings.map((w) => w.id))]);
  return (
    <Modal
      title={blocks.length ? 'Not ready to submit' : 'Submit with warnings?'}
      testId="submit-dialog"
      onClose={closeDialog}
      describedBy="submit-dialog-intro"
    >
      <p id="submit-dialog-intro">
        {blocks.length
          ? 'Fix these first; your entries are kept.'
          : 'Check these before you submit. Submitting records that you saw them.'}
      </p>
      <div role="alert">
        <CheckList title="Must fix" checks={blocks} />
        <CheckList title="Warnings" checks={warnings} />
      </div>
      <div className="modal-actions">
        {blocks.length ? (
          <button ref={primary} type="button" className="btn btn-primary" onClick={closeDialog}>
            Back to the task <kbd>Enter</kbd>
          </button>
        ) : (
          <>
            <button
              ref={primary}
              type="button"
              className="btn btn-primary"
              aria-disabled={busy}
              onClick={submitAnyway}
            >
              Submit anyway <kbd>Enter</kbd>
            </button>
            <button type="button" className="btn" onClick={closeDialog}>
              Back to the task <kbd>Esc</kbd>
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}
