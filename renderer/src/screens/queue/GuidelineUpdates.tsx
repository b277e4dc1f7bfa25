import { useEffect } from 'react';
import type { GuidelineNotice } from '../../../../shared/guideline-draft';
import {
  markGuidelineUpdateRead,
  refreshGuidelineUpdates,
  useGuidelineUpdates,
} from '../../state/guidelineUpdatesStore';
import { openGuidelineSection } from '../../state/uiStore';
import '../../styles/guideline-loop.css';

const CHANGE_WORDS = { added: 'new', changed: 'changed', removed: 'removed' } as const;

function UpdateItem({ notice, alone }: { notice: GuidelineNotice; alone: boolean }) {
  const unread = notice.readAt === null;
  return (
    <li
      className={`guideline-update${unread ? '' : ' is-read'}`}
      data-testid={`guideline-update-${notice.guidelineId}`}
    >
      <p className="lead-notice-head">
        {!alone && (
          <b>
            {notice.title}: v{notice.version}{' '}
          </b>
        )}
        <span className="muted">
          {alone ? notice.title : ''}
          {notice.fromVersion ? ` (you had v${notice.fromVersion})` : ''}
        </span>
      </p>
      {notice.changes.length === 0 ? (
        <p className="muted">No section changed (a new version number only).</p>
      ) : (
        <ul className="guideline-changes" aria-label={`What changed in v${notice.version}`}>
          {notice.changes.map((c) => (
            <li key={`${c.kind}-${c.heading}-${c.change}`}>
              {c.change === 'removed' ? (
                <span>{c.heading}</span>
              ) : (
                <button
                  type="button"
                  className="linklike"
                  onClick={() => openGuidelineSection(c.heading, notice.guidelineId)}
                >
                  {c.kind === 'example' ? `Golden example: ${c.heading}` : c.heading}
                </button>
              )}
              <span className="change-kind">{CHANGE_WORDS[c.change]}</span>
            </li>
          ))}
        </ul>
      )}
      {unread && (
        <button type="button" className="btn btn-small" onClick={() => void markGuidelineUpdateRead(notice)}>
          Mark read
        </button>
      )}
    </li>
  );
}

/**
 * New guideline versions a sync brought, with the sections that changed: each opens the
 * guidelines panel at that section; shown until the reviewer marks it read.
 */
export function GuidelineUpdates() {
  const list = useGuidelineUpdates((s) => s.list);
  const error = useGuidelineUpdates((s) => s.error);
  useEffect(() => void refreshGuidelineUpdates(), []);
  const unread = list?.notices.filter((n) => n.readAt === null) ?? [];
  if (unread.length === 0) return error ? <p className="t-error">{error}</p> : null;
  return (
    <section
      className="guideline-updates"
      aria-labelledby="guideline-updates"
      data-testid="guideline-updates"
    >
      <h2 id="guideline-updates">
        {unread.length === 1 ? `Guidelines updated to v${unread[0]!.version}` : 'Guidelines updated'}{' '}
        <span className="unread-count">{unread.length} unread</span>
      </h2>
      <ul className="guideline-update-list">
        {unread.map((notice) => (
          <UpdateItem key={notice.guidelineId} notice={notice} alone={unread.length === 1} />
        ))}
      </ul>
    </section>
  );
}
