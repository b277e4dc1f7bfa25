import { useEffect, useRef } from 'react';
import { promptPreview } from '../../logic/trainingOverview';
import { goToLead, openEscalation, useLead } from '../../state/leadStore';
import { promoteEscalation, showLeadView, useLeadWorkspace } from '../../state/leadWorkspaceStore';
import { useSync } from '../../state/syncStore';
import { QaEntry } from '../qa/QaEntry';
import { GuidelineDrafts } from './GuidelineDrafts';
import { LeadTabs } from './LeadTabs';
import { PodChoice } from './PodChoice';
import { PodReviewers } from './PodReviewers';
import { PromoteDialog } from './PromoteDialog';
import { RuledList } from './RuledList';

const REASON_WORDS: Record<string, string> = {
  'guideline-gap': 'Guideline gap',
  'ambiguous-prompt': 'Ambiguous prompt',
  'all-responses-bad': 'All responses bad',
};

const hours = (h: number) => (h < 1 ? `${Math.round(h * 60)} min` : `${Math.round(h)} h`);

/**
 * The lead workspace: the pod's open escalations, oldest first, the overdue ones marked. Enter on
 * one opens it on the labeling screen to rule with the reviewer's own controls.
 */
export function LeadScreen() {
  const { inbox, loading, error, status, ruled } = useLead();
  const view = useLeadWorkspace((s) => s.view);
  const workspace = useLeadWorkspace();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const items = inbox?.items ?? [];
  const admin = useSync((s) => s.auth?.user?.role === 'admin');
  const podId = workspace.podId.trim();
  return (
    <main id="main" className="lead-screen" data-testid="lead-screen" tabIndex={-1}>
      <div className="m-head">
        <h1 ref={heading} tabIndex={-1}>
          Escalations
        </h1>
        <span className="muted" role="status">
          {loading || workspace.loading ? 'Loading…' : `${items.length} open`}
        </span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => (view === 'inbox' ? void goToLead() : showLeadView(view))}
          disabled={loading}
        >
          Refresh
        </button>
        <QaEntry />
      </div>
      <LeadTabs />
      {admin && <PodChoice />}
      {admin && !podId && (
        <p className="muted" data-testid="lead-pick-pod">
          You belong to no pod: name one to see its escalations, ruled tasks and reviewers.
        </p>
      )}
      {status && (
        <p className="lead-status" role="status" data-testid="lead-status">
          {status}
          {ruled && (
            <button
              type="button"
              className="btn btn-small lead-promote-offer"
              data-testid="promote-offer"
              onClick={() => void promoteEscalation(ruled.escalationId)}
            >
              Promote {ruled.taskId}…
            </button>
          )}
        </p>
      )}
      {(error ?? workspace.error) && (
        <p className="t-problem" role="alert">
          {error ?? workspace.error}
        </p>
      )}
      {workspace.promoting && <PromoteDialog item={workspace.promoting} />}
      {view === 'ruled' && (!admin || podId) && <RuledList />}
      {view === 'reviewers' && <PodReviewers />}
      {view === 'inbox' && inbox && items.length === 0 && (
        <p className="muted">No open escalations in your pod.</p>
      )}
      {view === 'inbox' && items.length > 0 && (
        <table className="data-table lead-inbox" data-testid="lead-inbox">
          <caption className="sr-only">Open escalations, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Reviewer</th>
              <th scope="col">Reason</th>
              <th scope="col">Note</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.id}
                className={item.overdue ? 'is-overdue' : undefined}
                data-testid={`escalation-${item.id}`}
              >
                <th scope="row">
                  <button type="button" className="linklike" onClick={() => void openEscalation(item.id)}>
                    Rule on {item.task.id}
                  </button>
                  <span className="lead-prompt">{promptPreview(item.task.prompt, 90)}</span>
                </th>
                <td>{item.reviewer.displayName || item.reviewer.username}</td>
                <td>{REASON_WORDS[item.reason] ?? item.reason}</td>
                <td className="lead-note">{item.note || '–'}</td>
                <td>
                  {hours(item.ageHours)} of {hours(item.targetHours)}
                  {item.overdue && <b className="overdue"> overdue</b>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <GuidelineDrafts />
    </main>
  );
}
