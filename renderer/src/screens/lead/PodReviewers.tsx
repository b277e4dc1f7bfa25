import type { PodReviewer } from '../../../../shared/lead-workstation';
import { loadReviewers, useLeadWorkspace } from '../../state/leadWorkspaceStore';
import { useSync } from '../../state/syncStore';
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
/** An admin belongs to no pod: they name the one to act on (a lead always sees their own). */
function PodChoice() {
  const podId = useLeadWorkspace((s) => s.podId);
  return (
    <form
      className="lead-pod-choice"
      onSubmit={(e) => {
        e.preventDefault();
        useLeadWorkspace.setState({ reviewerId: null });
        void loadReviewers();
      }}
    >
      <label htmlFor="lead-pod">Pod </label>
      <input
        id="lead-pod"
        type="text"
        size={16}
        value={podId}
        onChange={(e) => useLeadWorkspace.setState({ podId: e.target.value })}
      />{' '}
      <button type="submit" className="btn btn-small">
        Show reviewers
      </button>
    </form>
  );
}

export function PodReviewers() {
  const data = useLeadWorkspace((s) => s.reviewers);
  const selected = useLeadWorkspace((s) => s.reviewerId);
  const admin = useSync((s) => s.auth?.user?.role === 'admin');
  if (!data) return admin ? <PodChoice /> : null;
  const open = data.reviewers.find((r) => r.member.id === selected) ?? null;
  if (data.reviewers.length === 0)
    return (
      <>
        {admin && <PodChoice />}
        <p className="muted">No reviewers in pod {data.podId}.</p>
      </>
    );
  return (
    <div className="lead-reviewers">
      {admin && <PodChoice />}
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
