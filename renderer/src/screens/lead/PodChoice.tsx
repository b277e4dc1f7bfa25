import { goToLead } from '../../state/leadStore';
import { showLeadView, useLeadWorkspace } from '../../state/leadWorkspaceStore';

/**
 * An admin belongs to no pod: they name the one whose escalations, ruled tasks and reviewers the
 * workspace shows (a lead always sees their own). Enter shows the current view for that pod.
 */
export function PodChoice() {
  const podId = useLeadWorkspace((s) => s.podId);
  return (
    <form
      className="lead-pod-choice"
      onSubmit={(e) => {
        e.preventDefault();
        useLeadWorkspace.setState({ reviewerId: null, ruled: null, reviewers: null });
        const { view } = useLeadWorkspace.getState();
        if (view === 'inbox') void goToLead();
        else showLeadView(view);
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
        Show
      </button>
    </form>
  );
}
