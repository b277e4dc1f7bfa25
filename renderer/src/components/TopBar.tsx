import { isReadOnly } from '../logic/trainingOverview';
import { keyHint } from '../shortcuts/table';
import { goToQueue, toggleLayout } from '../state/actions';
import { useSession } from '../state/sessionStore';
import { goToAudit } from '../state/auditStore';
import { goToLead } from '../state/leadStore';
import { goToMetrics } from '../state/metricsStore';
import { useSync } from '../state/syncStore';
import { goToTraining } from '../state/trainingActions';
import { openDialog, useUi } from '../state/uiStore';
import { QueueTally } from './QueueTally';
import { SaveStatus } from './SaveStatus';

export function TopBar() {
  const screen = useSession((s) => s.screen);
  const position = useSession((s) =>
    s.bundle?.training || s.bundle?.ruling || s.bundle?.qa ? undefined : s.bundle?.position,
  );
  // a ruling saves nothing on this computer: no save status to show
  const ruling = useSession((s) => s.bundle?.ruling !== undefined);
  const answered = useSession((s) => isReadOnly(s.bundle?.training));
  const layout = useSession((s) => s.prefs.layout);
  const guidelinesOpen = useUi((s) => s.guidelinesOpen);
  const onTask = screen === 'task';
  // trainees have no dashboard: their figures are the Training area's
  const role = useSync((s) => s.auth?.user?.role);
  const dashboards = role !== undefined && role !== 'trainee';
  return (
    <header className="topbar">
      <span className="brand">Reviewer Workstation</span>
      <QueueTally />
      {onTask && position && (
        <span className="position" data-testid="position">
          <span className="sr-only">Task </span>
          {position.index} / {position.open}
          <span className="sr-only"> open tasks</span>
        </span>
      )}
      {onTask && !answered && !ruling && <SaveStatus />}
      <nav className="topbar-actions" aria-label="Workstation">
        {screen !== 'queue' && (
          <button type="button" className="btn btn-quiet" onClick={() => void goToQueue()}>
            Queue <kbd>{keyHint('backToQueue')}</kbd>
          </button>
        )}
        {screen !== 'training' && screen !== 'signin' && (
          <button
            type="button"
            className="btn btn-quiet"
            data-testid="training-button"
            onClick={() => void goToTraining()}
          >
            Training <kbd>{keyHint('training')}</kbd>
          </button>
        )}
        {(role === 'lead' || role === 'admin') && screen !== 'lead' && (
          <button type="button" className="btn btn-quiet" onClick={() => void goToLead()}>
            Escalations <kbd>{keyHint('lead')}</kbd>
          </button>
        )}
        {role === 'admin' && screen !== 'audit' && (
          <button type="button" className="btn btn-quiet" onClick={() => void goToAudit()}>
            Audit log <kbd>{keyHint('audit')}</kbd>
          </button>
        )}
        {dashboards && screen !== 'metrics' && (
          <button type="button" className="btn btn-quiet" onClick={() => void goToMetrics()}>
            Quality <kbd>{keyHint('metrics')}</kbd>
          </button>
        )}
        {onTask && (
          <button type="button" className="btn btn-quiet" onClick={toggleLayout}>
            {layout === 'side' ? 'Stacked' : 'Side by side'} <kbd>{keyHint('layout')}</kbd>
          </button>
        )}
        <button
          type="button"
          className="btn btn-quiet"
          aria-pressed={guidelinesOpen}
          onClick={() => useUi.setState({ guidelinesOpen: !guidelinesOpen })}
        >
          Guidelines <kbd>{keyHint('guidelines')}</kbd>
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => openDialog('shortcuts')}>
          Shortcuts <kbd>?</kbd>
        </button>
      </nav>
    </header>
  );
}
