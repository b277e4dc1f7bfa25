import { type LeadView, showLeadView, useLeadWorkspace } from '../../state/leadWorkspaceStore';
import '../../styles/lead.css';

const VIEWS: { view: LeadView; words: string }[] = [
  { view: 'inbox', words: 'Open escalations' },
  { view: 'ruled', words: 'Ruled' },
  { view: 'reviewers', words: 'Reviewers' },
];

/** The lead workspace's views: plain buttons in the tab order, the current one marked. */
export function LeadTabs() {
  const current = useLeadWorkspace((s) => s.view);
  return (
    <nav className="lead-tabs" aria-label="Lead workspace">
      {VIEWS.map(({ view, words }) => (
        <button
          key={view}
          type="button"
          className="btn btn-quiet"
          aria-current={current === view ? 'page' : undefined}
          data-testid={`lead-tab-${view}`}
          onClick={() => showLeadView(view)}
        >
          {words}
        </button>
      ))}
    </nav>
  );
}
