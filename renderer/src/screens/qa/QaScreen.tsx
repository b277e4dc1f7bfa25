import { useEffect, useId, useRef } from 'react';
import { goToQa, leaseQa, openQaTask, showComparison, useQa } from '../../state/qaStore';
import '../../styles/qa.css';
import { QaComparisonView } from './QaComparisonView';
import { QaMessages } from './QaMessages';

/**
 * Blind QA re-rating: lease sampled tasks, re-rate them on the labeling screen (no hint of the
 * original), then compare and classify. The comparison replaces the list once it is open.
 */
export function QaScreen() {
  const { comparison, loading } = useQa();
  return (
    <main id="main" className="qa-screen" data-testid="qa-screen" tabIndex={-1}>
      {comparison ? <QaComparisonView comparison={comparison} /> : <QaTaskList />}
      {loading && !comparison && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
    </main>
  );
}

function QaTaskList() {
  const id = useId();
  const { tasks, projects, projectId, loading } = useQa();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const open = tasks?.filter((t) => t.state === 'open') ?? [];
  return (
    <>
      <div className="m-head">
        <h1 ref={heading} tabIndex={-1}>
          QA re-rating
        </h1>
        <span className="muted">{tasks ? `${open.length} to re-rate` : ''}</span>
        <button type="button" className="btn btn-small" onClick={() => void goToQa()} disabled={loading}>
          Refresh
        </button>
      </div>
      <QaMessages />
      <p className="muted qa-intro">
        Sampled labels, re-rated blind: you see each task as any reviewer does. The original label and its
        reviewer show only after you submit your re-rating.
      </p>
      <div className="qa-lease">
        <label htmlFor={`${id}-project`}>Project</label>
        <select
          id={`${id}-project`}
          value={projectId}
          onChange={(e) => useQa.setState({ projectId: e.target.value })}
        >
          <option value="">Any project</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="qa-lease"
          aria-disabled={loading}
          onClick={() => !loading && void leaseQa()}
        >
          Lease QA work
        </button>
      </div>
      {tasks && tasks.length === 0 && <p className="muted">No QA tasks on this computer.</p>}
      {tasks && tasks.length > 0 && (
        <table className="data-table qa-tasks" data-testid="qa-tasks">
          <caption className="sr-only">My QA tasks, open first</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Project</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.taskId} data-testid={`qa-task-${t.taskId}`}>
                <th scope="row">
                  <button
                    type="button"
                    className="linklike"
                    onClick={() =>
                      void (t.state === 'open' ? openQaTask(t.taskId) : showComparison(t.taskId))
                    }
                  >
                    {t.state === 'open' ? `Re-rate ${t.taskId}` : `Compare ${t.taskId}`}
                  </button>
                  <span className="lead-prompt">{t.promptPreview}</span>
                </th>
                <td>{t.projectId}</td>
                <td>{t.state === 'open' ? 'To re-rate' : t.sent ? 'Re-rated' : 'Re-rated, not sent yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
