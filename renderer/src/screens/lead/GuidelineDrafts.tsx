import { useEffect, useState } from 'react';
import type { GuidelineDraft } from '../../../../shared/guideline-draft';
import { Markdown } from '../../markdown/Markdown';
import {
  loadGuidelineDrafts,
  publishGuidelineDraft,
  rejectGuidelineDraft,
  startGuidelineDraft,
  useGuidelineDrafts,
} from '../../state/guidelineDraftStore';
import { useLead } from '../../state/leadStore';
import { useSync } from '../../state/syncStore';
import { DraftGuidelineDialog } from './DraftGuidelineDialog';
import '../../styles/guideline-loop.css';

const CHANGE_WORDS = { added: 'new', changed: 'changed', removed: 'removed' } as const;
const SOURCE_WORDS = { escalation: 'escalation', 'qa-rating': 'QA re-rating' } as const;

function AdminActions({ draft }: { draft: GuidelineDraft }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (rejecting)
    return (
      <div className="gl-draft-actions">
        <label htmlFor={`reject-${draft.id}`}>Why (the lead reads it)</label>
        <input
          id={`reject-${draft.id}`}
          type="text"
          value={reason}
          autoFocus
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void rejectGuidelineDraft(draft, reason).then((done) => done && setRejecting(false));
            } else if (e.key === 'Escape') setRejecting(false);
          }}
        />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void rejectGuidelineDraft(draft, reason).then((done) => done && setRejecting(false))}
        >
          Reject
        </button>
        <button type="button" className="btn btn-small" onClick={() => setRejecting(false)}>
          Cancel
        </button>
      </div>
    );
  return (
    <div className="gl-draft-actions">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void publishGuidelineDraft(draft, 'minor')}
      >
        Publish as minor version
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void publishGuidelineDraft(draft, 'major')}
      >
        Publish as major version (re-certify)
      </button>
      <button type="button" className="btn btn-small" onClick={() => setRejecting(true)}>
        Reject…
      </button>
    </div>
  );
}

function DraftItem({ draft, admin }: { draft: GuidelineDraft; admin: boolean }) {
  return (
    <li className="gl-draft" data-testid={`guideline-draft-${draft.id}`}>
      <p className="gl-draft-head">
        <span className={`gl-state is-${draft.state}`}>
          {draft.state === 'published' ? `published as v${draft.publishedVersion}` : draft.state}
        </span>{' '}
        <b>
          {draft.guidelineId} v{draft.baseVersion}:{' '}
          {draft.changes.map((c) => `${c.heading} (${CHANGE_WORDS[c.change]})`).join(', ')}
        </b>{' '}
        <span className="muted">
          by {draft.author.displayName}, {draft.podId}, from {SOURCE_WORDS[draft.source.kind]}{' '}
          {draft.source.id}
          {draft.links.length > 0 && ` · linked: ${draft.links.map((l) => l.id).join(', ')}`}
        </span>
      </p>
      <Markdown text={draft.summary} />
      {draft.rejectReason && <p className="muted">Rejected: {draft.rejectReason}</p>}
      {admin && draft.state === 'open' && <AdminActions draft={draft} />}
    </li>
  );
}

/**
 * The guideline loop in the lead workspace: "Draft a guideline change" (from the pod's
 * escalations), the drafts (a lead: their pod's; an admin: every pod's, to publish as a minor or
 * major version or reject with a reason).
 */
export function GuidelineDrafts() {
  const { drafts, loading, error, status, drafting } = useGuidelineDrafts();
  const admin = useSync((s) => s.auth?.user?.role === 'admin');
  const firstEscalation = useLead((s) => s.inbox?.items[0]);
  useEffect(() => void loadGuidelineDrafts(), []);
  const shown = admin ? (drafts ?? []) : (drafts ?? []).slice(0, 20);
  return (
    <section className="gl-drafts" aria-labelledby="gl-drafts" data-testid="guideline-drafts">
      <div className="gl-drafts-head">
        <h2 id="gl-drafts">Guideline changes</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            startGuidelineDraft({
              escalationId: firstEscalation?.id ?? null,
              taskId: firstEscalation?.task.id ?? null,
              guidelineId: firstEscalation?.task.guideline ?? 'default',
            })
          }
        >
          Draft a guideline change…
        </button>
        <span className="muted" role="status">
          {loading ? 'Loading…' : drafts ? `${drafts.filter((d) => d.state === 'open').length} open` : ''}
        </span>
      </div>
      {status && (
        <p className="lead-status" role="status" data-testid="guideline-drafts-status">
          {status}
        </p>
      )}
      {error && (
        <p className="t-problem" role="alert">
          {error}
        </p>
      )}
      {drafts && drafts.length === 0 && <p className="muted">No drafts yet.</p>}
      {shown.length > 0 && (
        <ul className="guideline-update-list">
          {shown.map((d) => (
            <DraftItem key={d.id} draft={d} admin={admin} />
          ))}
        </ul>
      )}
      {drafting && <DraftGuidelineDialog start={drafting} />}
    </section>
  );
}
