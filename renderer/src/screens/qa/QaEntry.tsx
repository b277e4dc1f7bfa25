import { keyHint } from '../../shortcuts/table';
import { goToQa } from '../../state/qaStore';

/** The way from the lead workspace to blind QA re-rating (also U from anywhere). */
export function QaEntry() {
  return (
    <button type="button" className="btn btn-small" data-testid="qa-entry" onClick={() => void goToQa()}>
      QA re-rating <kbd>{keyHint('qa')}</kbd>
    </button>
  );
}
