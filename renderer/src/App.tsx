import { Suspense, useEffect } from 'react';
import { NoticeBanner } from './components/NoticeBanner';
import { SyncBar } from './components/SyncBar';
import { TopBar } from './components/TopBar';
import { AllDone } from './screens/AllDone';
import { SignInScreen } from './screens/SignInScreen';
import { QueueScreen } from './screens/queue/QueueScreen';
import { TaskScreen } from './screens/task/TaskScreen';
import { DialogHost } from './dialogs/DialogHost';
import { GuidelinesPanel } from './guidelines/GuidelinesPanel';
import {
  AuditScreen,
  LeadScreen,
  MetricsScreen,
  QaScreen,
  TrainingScreen,
  preloadRareParts,
} from './rareParts';
import { useGlobalKeys } from './shortcuts/useGlobalKeys';
import { useSession } from './state/sessionStore';

const opening = (what: string) => <p className="muted">Opening {what}…</p>;

export function App() {
  useGlobalKeys();
  const screen = useSession((s) => s.screen);
  const fontScale = useSession((s) => s.prefs.fontScale);
  const firstScreenShown = screen !== 'boot';
  useEffect(() => {
    if (!firstScreenShown) return;
    // Electron shows its window once this screen is painted (after this frame), not the placeholder
    requestAnimationFrame(() => setTimeout(() => window.workstation?.shell?.firstScreenPainted(), 0));
  }, [firstScreenShown]);
  const taskShown = screen === 'task';
  useEffect(() => {
    // once a task is on screen, the rest loads in idle time: a shortcut finds its part here
    if (taskShown) preloadRareParts();
  }, [taskShown]);
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
      <Suspense fallback={opening('the screen')}>
        {screen === 'training' && <TrainingScreen />}
        {screen === 'lead' && <LeadScreen />}
        {screen === 'qa' && <QaScreen />}
        {screen === 'audit' && <AuditScreen />}
      </Suspense>
      {screen === 'metrics' && (
        <Suspense fallback={opening('the dashboards')}>
          <MetricsScreen />
        </Suspense>
      )}
      <SyncBar />
      <GuidelinesPanel />
      <DialogHost />
    </div>
  );
}
