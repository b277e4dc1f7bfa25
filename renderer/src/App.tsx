import { lazy, Suspense } from 'react';
import { DialogHost } from './dialogs/DialogHost';
import { GuidelinesPanel } from './guidelines/GuidelinesPanel';
import { NoticeBanner } from './components/NoticeBanner';
import { SyncBar } from './components/SyncBar';
import { TopBar } from './components/TopBar';
import { AllDone } from './screens/AllDone';
import { SignInScreen } from './screens/SignInScreen';
import { QueueScreen } from './screens/queue/QueueScreen';
import { TaskScreen } from './screens/task/TaskScreen';
import { LeadScreen } from './screens/lead/LeadScreen';
import { QaScreen } from './screens/qa/QaScreen';
import { AuditScreen } from './screens/admin/AuditScreen';
import { TrainingScreen } from './screens/training/TrainingScreen';
import { useGlobalKeys } from './shortcuts/useGlobalKeys';
import { useSession } from './state/sessionStore';

// the dashboards and their chart library load when first opened, never before a task
const MetricsScreen = lazy(() => import('./screens/metrics/MetricsScreen'));

export function App() {
  useGlobalKeys();
  const screen = useSession((s) => s.screen);
  const fontScale = useSession((s) => s.prefs.fontScale);
  return (
    <div className="app" style={{ fontSize: `${fontScale * 100}%` }}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <NoticeBanner />
      {screen === 'boot' && (
        <main id="main" className="boot" tabIndex={-1}>
          <p>Opening the workstation…</p>
        </main>
      )}
      {screen === 'signin' && <SignInScreen />}
      {screen === 'queue' && <QueueScreen />}
      {screen === 'task' && <TaskScreen />}
      {screen === 'done' && <AllDone />}
      {screen === 'training' && <TrainingScreen />}
      {screen === 'lead' && <LeadScreen />}
      {screen === 'qa' && <QaScreen />}
      {screen === 'audit' && <AuditScreen />}
      {screen === 'metrics' && (
        <Suspense fallback={<p className="muted">Opening the dashboards…</p>}>
          <MetricsScreen />
        </Suspense>
      )}
      <SyncBar />
      <GuidelinesPanel />
      <DialogHost />
    </div>
  );
}
