import type { PodReviewer } from '../../../../shared/lead-workstation';
import { useLeadWorkspace } from '../../state/leadWorkspaceStore';
import { actionStatus, ReviewerActions } from './ReviewerActions';

/** the actions still in force, in a few words */
function standing(reviewer: PodReviewer): string {
  const live = reviewer.actions.filter((a) => a.state === 'active');
  if (live.length === 0) return 'no action in force';
  return live.map((a) => `${a.kind} (${actionStatus(a)})`).join(', ');
}

/**
 * The pod's trainees and reviewers with the actions in force on each; Enter on a name opens their
 * actions and the forms to coach, restrict, call in for re-certification or lift.
 */
export function PodReviewers() {
  const data = useLeadWorkspace((s) => s.reviewers);
  const selected = useLeadWorkspace((s) => s.reviewerId);
  if (!data) return null;
  const open = data.reviewers.find((r) => r.member.id === selected) ?? null;
  if (data.reviewers.length === 0) return <p className="muted">No reviewers in pod {data.podId}.</p>;
  return (
    <div className="lead-reviewers">
      <table className="data-table lead-inbox" data-testid="pod-reviewers">
        <caption className="sr-only">Reviewers of pod {data.podId}</caption>
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col">Role</th>
            <th scope="col">In force</th>
          </tr>
        </thead>
        <tbody>
          {data.reviewers.map((r) => (
            <tr key={r.member.id} aria-current={r.member.id === selected ? 'true' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="linklike"
                  aria-expanded={r.member.id === selected}
                  onClick={() =>
                    useLeadWorkspace.setState({ reviewerId: r.member.id === selected ? null : r.member.id })
                  }
                >
                  {r.member.displayName || r.member.username}
                </button>
              </th>
              <td>{r.member.role}</td>
              <td>{standing(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <ReviewerActions key={open.member.id} podId={data.podId} reviewer={open} />}
    </div>
  );
}
