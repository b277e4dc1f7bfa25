import '../../styles/metrics.css';
import { useEffect, useRef } from 'react';
import { freshness } from '../../logic/metricsFormat';
import {
  choosePod,
  chooseProject,
  loadDashboard,
  useMetrics,
  type MetricsTab,
} from '../../state/metricsStore';
import { useSync } from '../../state/syncStore';
import { Calibration } from './Calibration';
import { Items } from './Items';
import { Overview } from './Overview';
import { Reviewers } from './Reviewers';
import { SelfDashboard } from './SelfDashboard';

const TABS: [MetricsTab, string][] = [
  ['overview', 'Overview'],
  ['reviewers', 'Reviewers'],
  ['items', 'Disagreed items'],
  ['calibration', 'Calibration'],
];

/**
 * Quality dashboards (docs/metrics.md, "Dashboards"): a lead's pod or, for an admin, any pod or
 * all; a reviewer's own figures beside the pod's. Read from the last figures the server sent when
 * it cannot be reached, and labeled with their time either way.
 */
export default function MetricsScreen() {
  const { projects, projectId, podId, snapshot, loading, error, tab } = useMetrics();
  const admin = useSync((s) => s.auth?.user?.role === 'admin');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const data = snapshot?.data;
  const report = data?.view === 'team' ? data.report : null;
  return (
    <main id="main" className="metrics-screen" data-testid="metrics-screen" tabIndex={-1}>
      <div className="m-head">
        <h1 ref={heading} tabIndex={-1}>
          Quality
        </h1>
        {projects && projects.length > 0 && (
          <label className="m-pick">
            Project{' '}
            <select value={projectId ?? ''} onChange={(e) => chooseProject(e.target.value)}>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {admin && report && (
          <label className="m-pick">
            Pod{' '}
            <select value={podId ?? ''} onChange={(e) => choosePod(e.target.value || null)}>
              <option value="">All pods</option>
              {report.pods.map((p) => (
                <option key={p.podId} value={p.podId}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span
          className={`m-fresh${snapshot?.offline ? ' is-offline' : ''}`}
          role="status"
          data-testid="metrics-freshness"
        >
          {loading ? 'Loading…' : snapshot ? freshness(snapshot.fetchedAt, snapshot.offline) : ''}
        </span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void loadDashboard()}
          disabled={loading}
        >
          Refresh
        </button>
      </div>
      {error && (
        <p className="t-problem" role="alert">
          {error}
        </p>
      )}
      {snapshot?.offline && snapshot.reason && <p className="muted">{snapshot.reason}</p>}
      {projects && projects.length === 0 && <p className="muted">No production projects yet.</p>}
      {data?.view === 'self' && <SelfDashboard view={data.self} />}
      {report && (
        <>
          <nav className="m-tabs" aria-label="Dashboard views">
            {TABS.map(([id, name]) => (
              <button
                key={id}
                type="button"
                className="btn btn-quiet"
                aria-pressed={tab === id}
                onClick={() => useMetrics.setState({ tab: id })}
              >
                {name}
              </button>
            ))}
          </nav>
          {tab === 'overview' && <Overview report={report} admin={admin} />}
          {tab === 'reviewers' && <Reviewers report={report} />}
          {tab === 'items' && <Items report={report} />}
          {tab === 'calibration' && <Calibration report={report} />}
        </>
      )}
    </main>
  );
}
