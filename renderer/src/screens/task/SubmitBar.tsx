import { useShallow } from 'zustand/react/shallow';
import { runChecks } from '../../../../shared/checks';
import type { TaskBundle } from '../../../../shared/queue';
import { isReadOnly } from '../../logic/trainingOverview';
import { keyHint } from '../../shortcuts/table';
import { requestSubmit } from '../../state/actions';
import { useSession } from '../../state/sessionStore';
import { openDialog } from '../../state/uiStore';
import { useWork } from '../../state/workStore';
import { TrainingActions } from '../training/TrainingActions';

const TRAINING_HINT = {
  sandbox: 'Practice: you see the key and an explanation right after you submit.',
  exam: 'Exam: no feedback until the attempt is graded; a submitted answer cannot be changed.',
  calibration:
    'Calibration: answer as you would in production; the pod’s answers show when the round is revealed.',
  shadow:
    'Shadowing: a real task a certified reviewer labeled; their label shows beside yours after you submit.',
} as const;

const QA_HINT =
  'Blind QA re-rating: judge it as your own task. The original label and its reviewer show after you submit (U: your QA tasks).';

/**
 * Always-visible footer: a live summary of the submit checks and the three ways to finish a task.
 * Training items are only submitted (no skip, no escalation); once answered, their own actions.
 */
export function SubmitBar({ bundle }: { bundle: TaskBundle }) {
  if (bundle.training && isReadOnly(bundle.training)) return <TrainingActions training={bundle.training} />;
  return <OpenSubmitBar bundle={bundle} />;
}

function OpenSubmitBar({ bundle }: { bundle: TaskBundle }) {
  const busy = useSession((s) => s.busy);
  const training = bundle.training;
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
      {training && <p className="training-hint">{TRAINING_HINT[training.ref.kind]}</p>}
      {bundle.qa && <p className="training-hint">{QA_HINT}</p>}
      <div className="submit-actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-disabled={busy !== null}
          onClick={requestSubmit}
        >
          {bundle.state === 'submitted' && !training ? 'Resubmit' : 'Submit'} <kbd>{keyHint('submit')}</kbd>
        </button>
        {!training && !bundle.qa && (
          <>
            <button type="button" className="btn" onClick={() => openDialog('escalate')}>
              Escalate <kbd>{keyHint('escalate')}</kbd>
            </button>
            <button type="button" className="btn" onClick={() => openDialog('skip')}>
              Skip <kbd>{keyHint('skip')}</kbd>
            </button>
          </>
        )}
      </div>
    </div>
  );
}
