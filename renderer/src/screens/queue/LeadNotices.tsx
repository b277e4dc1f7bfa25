import { useEffect } from 'react';
import type { Notice } from '../../../../shared/lead-workstation';
import { decisionWords, judgementWords } from '../../logic/rulingWords';
import { Markdown } from '../../markdown/Markdown';
import { acknowledgeNotice, refreshNotices, useNotices } from '../../state/noticesStore';

function RulingItem({ notice }: { notice: Extract<Notice, { kind: 'ruling' }> }) {
  const { ruling } = notice;
  return (
    <li
      className={`lead-notice${notice.readAt ? ' is-read' : ''}`}
      data-testid={`notice-ruling-${ruling.escalationId}`}
    >
      <p className="lead-notice-head">
        <b>Ruling on your escalation of task {ruling.taskId}.</b> {decisionWords(ruling)}
      </p>
      {ruling.label && <p>Their judgement: {judgementWords(ruling.label)}</p>}
      <div className="lead-notice-body">
        <Markdown text={ruling.explanation} />
        {ruling.guidance && (
          <>
            <p className="lead-notice-sub">What to do next time</p>
            <Markdown text={ruling.guidance} />
          </>
        )}
      </div>
      {!notice.readAt && (
        <button type="button" className="btn btn-small" onClick={() => void acknowledgeNotice(notice)}>
          Mark read
        </button>
      )}
    </li>
  );
}

const ACTION_TITLE = {
  coaching: 'A coaching note',
  restriction: 'Your work is restricted',
  recertification: 'Re-certification required',
} as const;

function ActionItem({ notice }: { notice: Extract<Notice, { kind: 'coaching' }> }) {
  const { action } = notice;
  const lifted = action.state === 'lifted';
  return (
    <li
      className={`lead-notice${notice.readAt ? ' is-read' : ''}`}
      data-testid={`notice-action-${action.id}`}
    >
      <p className="lead-notice-head">
        <b>
          {ACTION_TITLE[action.kind]}
          {lifted ? ' (lifted)' : ''}
        </b>{' '}
        from {action.lead}.
      </p>
      <p>{action.words}</p>
      {action.note && <Markdown text={action.note} />}
      {action.taskIds.length > 0 && <p className="muted">About: {action.taskIds.join(', ')}</p>}
      {!notice.readAt && (
        <button type="button" className="btn btn-small" onClick={() => void acknowledgeNotice(notice)}>
          {action.kind === 'coaching' ? 'Acknowledge' : 'Mark read'}
        </button>
      )}
    </li>
  );
}

/**
 * Rulings on the reviewer's escalations and their lead's notes and actions, unread first; a
 * coaching note stays until acknowledged. Texts are Markdown, kept inert.
 */
export function LeadNotices() {
  const list = useNotices((s) => s.list);
  const error = useNotices((s) => s.error);
  useEffect(() => void refreshNotices(), []);
  if (!list?.notices.length) return error ? <p className="t-error">{error}</p> : null;
  return (
    <section className="lead-notices" aria-labelledby="lead-notices" data-testid="lead-notices">
      <h2 id="lead-notices">
        From your lead {list.unread > 0 && <span className="unread-count">{list.unread} unread</span>}
      </h2>
      <ul>
        {list.notices.map((notice) =>
          notice.kind === 'ruling' ? (
            <RulingItem key={`r${notice.ruling.escalationId}`} notice={notice} />
          ) : (
            <ActionItem key={`a${notice.action.id}`} notice={notice} />
          ),
        )}
      </ul>
    </section>
  );
}
