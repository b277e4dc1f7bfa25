import { startGuidelineDraft, useGuidelineDrafts } from '../../state/guidelineDraftStore';
import { DraftGuidelineDialog } from './DraftGuidelineDialog';

/**
 * "Draft a guideline change" beside a ruling: the dialog starts from this escalation, its task
 * linked, the task's guideline open; what was sent is said here.
 */
export function DraftGuidelineButton(props: { escalationId: string; taskId: string; guidelineId: string }) {
  const drafting = useGuidelineDrafts((s) => s.drafting);
  const status = useGuidelineDrafts((s) => s.status);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => startGuidelineDraft(props)}>
        Draft a guideline change…
      </button>
      {status && (
        <span className="muted" role="status">
          {' '}
          {status}
        </span>
      )}
      {drafting && <DraftGuidelineDialog start={drafting} />}
    </>
  );
}
