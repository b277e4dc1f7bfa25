import type { TrainingContext } from '../../../../shared/training/workstation';
import { keyHint } from '../../shortcuts/table';
import { useSession } from '../../state/sessionStore';
import { goToTraining, nextTrainingItem, retryItem } from '../../state/trainingActions';

/** The footer of an answered training item: Retry (practice), Next item, Back to training. */
export function TrainingActions({ training }: { training: TrainingContext }) {
  const busy = useSession((s) => s.busy);
  const canRetry = training.ref.kind === 'sandbox' && training.feedback !== null;
  const status =
    training.ref.kind === 'sandbox'
      ? `Attempt ${training.attempts} recorded.`
      : training.ref.kind === 'shadow'
        ? training.feedback
          ? 'Set beside the reviewer’s label.'
          : 'Answer saved: the reviewer’s label comes with the next sync.'
        : training.feedback
          ? 'Graded.'
          : 'Answer locked.';
  return (
    <div className="submit-bar training-actions" data-testid="training-actions">
      <p className="check-summary">{status}</p>
      <div className="submit-actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-disabled={busy !== null}
          onClick={() => void nextTrainingItem()}
          aria-keyshortcuts="N Enter"
        >
          {training.next ? 'Next item' : 'Done: back to training'} <kbd>{keyHint('nextItem')}</kbd>
        </button>
        {canRetry && (
          <button
            type="button"
            className="btn"
            aria-disabled={busy !== null}
            onClick={() => void retryItem()}
            aria-keyshortcuts="R"
          >
            Retry <kbd>{keyHint('retry')}</kbd>
          </button>
        )}
        {training.next && (
          <button
            type="button"
            className={`btn${canRetry ? '' : ' btn-wide'}`}
            onClick={() => void goToTraining()}
            aria-keyshortcuts="Escape"
          >
            Back to training <kbd>Esc</kbd>
          </button>
        )}
      </div>
    </div>
  );
}
