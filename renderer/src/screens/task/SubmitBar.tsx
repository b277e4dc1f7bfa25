import { useShallow } from 'zustand/react/shallow';
import { runChecks } from '../../../../shared/checks';
import type { TaskBundle } from '../../../../shared/queue';
import { keyHint } from '../../shortcuts/table';
import { requestSubmit } from '../../state/actions';
import { useSession } from '../../state/sessionStore';
import { openDialog } from '../../state/uiStore';
import { useWork } from '../../state/workStore';

/** Always-visible footer: a live summary of the submit checks and the three ways to finish a task. */
export function SubmitBar({ bundle }: { bundle: TaskBundle }) {
  const busy = useSession((s) => s.busy);
  const [blocks, warnings] = useWork(
    useShallow((s) => {
      const checks = runChecks({
        task: bundle.task,
        work: s.work,
        presentedOrder: bundle.presentedOrder,
        template: bundle.template,
        policy: bundle.checkPolicy,
      });
      return [
        checks.filter((c) => c.level === 'block').length,
        checks.filter((c) => c.level === 'warn').length,
      ];
    }),
  );
  const summary =
    blocks + warnings === 0
      ? 'Ready to submit.'
      : [blocks ? `${blocks} to fix` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '']
          .filter(Boolean)
          .join(', ') + ' before submit.';
  return (
    <div className="submit-bar">
      <p className={`check-summary${blocks ? ' has-blocks' : warnings ? ' has-warnings' : ''}`} role="status">
        <span aria-hidden="true">{blocks ? '✕ ' : warnings ? '! ' : '✓ '}</span>
        {summary}
      </p>
      <div className="submit-actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-disabled={busy !== null}
          onClick={requestSubmit}
        >
          {bundle.state === 'submitted' ? 'Resubmit' : 'Submit'} <kbd>{keyHint('submit')}</kbd>
        </button>
        <button type="button" className="btn" onClick={() => openDialog('escalate')}>
          Escalate <kbd>{keyHint('escalate')}</kbd>
        </button>
        <button type="button" className="btn" onClick={() => openDialog('skip')}>
          Skip <kbd>{keyHint('skip')}</kbd>
        </button>
      </div>
    </div>
  );
}
